/**
 * Session revocations, published on a process-wide bus so that live connections (socket.io sockets, Yjs
 * sync WebSockets) end when their session does: a sign-out ends that session's sockets, a password change
 * or a disabled account ends all of the person's.
 *
 * One process, one bus: an in-memory EventEmitter is enough. Once several processes serve the same
 * database (the product brief's scale-out decision), this has to travel over Redis pub/sub instead, since
 * the process that ends a session is then not always the one holding the sockets.
 */
import { EventEmitter } from 'node:events';

export interface SessionRevocation {
  userId: string;
  /** The ended session ids (SHA-256 of the tokens), or every session of the person. */
  sessionIds: readonly string[] | 'all';
}

type RevocationEvents = { revoked: [SessionRevocation] };

const bus = new EventEmitter<RevocationEvents>();
// Each server (and each test server) subscribes once; more than ten in one process is not a leak.
bus.setMaxListeners(0);

/** Announces that sessions ended. Listeners run synchronously; one that throws does not stop the others. */
export function publishSessionRevocation(revocation: SessionRevocation): void {
  for (const listener of bus.listeners('revoked')) {
    try {
      listener(revocation);
    } catch {
      // A listener's failure must not undo or fail the revocation itself.
    }
  }
}

/** Calls `listener` on every revocation; returns the function that unsubscribes. */
export function onSessionRevocation(listener: (revocation: SessionRevocation) => void): () => void {
  bus.on('revoked', listener);
  return () => {
    bus.off('revoked', listener);
  };
}
