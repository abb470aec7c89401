/**
 * Space access changes, published on a process-wide bus so that live connections (sync WebSockets, channel
 * sockets) re-check their access when it may have shrunk: a member removed, a role changed, someone left, a
 * space archived or restored, an organisation's membership changed, documents trashed.
 *
 * One process, one bus, like the session revocations (accounts/revocations.ts): several processes will need
 * Redis pub/sub for it.
 */
import { EventEmitter } from 'node:events';

export interface SpaceAccessChange {
  spaceId: string;
  /** The people whose access may have changed, or everyone in the space (organisations, archive). */
  userIds: readonly string[] | 'all';
}

type AccessEvents = { changed: [SpaceAccessChange] };

const bus = new EventEmitter<AccessEvents>();
// Each server (and each test server) subscribes; more than ten in one process is not a leak.
bus.setMaxListeners(0);

/** Announces a change. Listeners run synchronously; one that throws does not stop the others. */
export function publishSpaceAccessChange(change: SpaceAccessChange): void {
  for (const listener of bus.listeners('changed')) {
    try {
      listener(change);
    } catch {
      // The change itself is already stored: a listener's failure must not fail it.
    }
  }
}

/** Calls `listener` on every change; returns the function that unsubscribes. */
export function onSpaceAccessChange(listener: (change: SpaceAccessChange) => void): () => void {
  bus.on('changed', listener);
  return () => {
    bus.off('changed', listener);
  };
}

/** True when the change may concern `userId`. */
export function concerns(change: SpaceAccessChange, userId: string): boolean {
  return change.userIds === 'all' || change.userIds.includes(userId);
}
