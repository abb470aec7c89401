/**
 * The sync endpoint's authoriser, in two layers: first a valid session (4401 `unauthenticated` otherwise),
 * then the document authoriser, which receives the principal so that the spaces feature can check the
 * person's capability on each document. The access it grants carries the principal, which lets the
 * endpoint close the connection (4401) when that session ends, by revocation or, with `watchExpiry`, when it
 * expires (the timer is disarmed when the connection's socket closes).
 */
import { CLOSE_CODES } from '@cope/domain';
import type { IncomingMessage } from 'node:http';
import type { SyncAccess, SyncAuthorizer } from '../sync/endpoint.js';
import type { SessionExpiryWatcher } from './session-expiry.js';
import type { Authenticator, Principal } from './session.js';

/** Decides one document for one signed-in person. A plain `SyncAuthorizer` fits (it ignores the principal). */
export type DocumentAuthorizer = (
  req: IncomingMessage,
  documentId: string,
  principal: Principal,
) => Promise<SyncAccess>;

export function requireSession(
  authenticate: Authenticator,
  documents: DocumentAuthorizer,
  watchExpiry?: SessionExpiryWatcher,
): SyncAuthorizer {
  return async (req, documentId) => {
    const principal = await authenticate(req.headers);
    if (principal === null) {
      return { allowed: false, code: CLOSE_CODES.unauthenticated, reason: 'unauthenticated' };
    }
    const access = await documents(req, documentId, principal);
    if (!access.allowed) return access;
    if (watchExpiry) {
      const cancel = watchExpiry({
        userId: principal.user.id,
        sessionId: principal.sessionId,
        sessionEndsAt: principal.sessionEndsAt,
      });
      // The upgraded WebSocket keeps the request's socket: its close is the connection's end.
      if (req.socket.destroyed) cancel();
      else req.socket.once('close', cancel);
    }
    return { ...access, principal: { userId: principal.user.id, sessionId: principal.sessionId } };
  };
}
