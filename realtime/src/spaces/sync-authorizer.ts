/**
 * The production document authoriser of the sync endpoint, run after the session check (`requireSession`):
 * 4404 for anything the person may not read (unknown, another space's, trashed), else admitted, read-only for
 * commenters and viewers and in archived spaces.
 */
import { CLOSE_CODES } from '@cope/domain';
import type { DbHandle } from '@cope/db';
import type { DocumentAuthorizer } from '../auth/sync-auth.js';
import { decideDocumentAccess } from './document-access.js';

type Connection = DbHandle['connection'];

export function spaceDocumentAuthorizer(conn: Connection): DocumentAuthorizer {
  return async (_req, documentId, principal) => {
    const actor = {
      userId: principal.user.id,
      networkRole: principal.user.networkRole,
      disabled: principal.user.disabled,
    };
    const decision = await decideDocumentAccess(conn, actor, documentId);
    if (!decision.allowed) return { allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' };
    return { allowed: true, readOnly: decision.readOnly, spaceId: decision.spaceId };
  };
}
