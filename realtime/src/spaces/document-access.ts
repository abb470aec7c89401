/**
 * What one person may do with one document over sync, decided from their space role through `can()`:
 * reading needs `space.document.read`, writing `space.document.edit`; an archived space is read-only for
 * everyone. Unknown documents, documents of spaces the person is not in, and trashed documents all look the
 * same (not found), so a refusal never reveals that a document exists.
 */
import { can, type Actor } from '@cope/domain';
import { documentAccessOf, models, type DbHandle } from '@cope/db';

type Connection = DbHandle['connection'];

export type SyncDocumentDecision =
  { allowed: true; spaceId: string; readOnly: boolean } | { allowed: false; spaceId: string | null };

export async function decideDocumentAccess(
  conn: Connection,
  actor: Actor,
  documentId: string,
): Promise<SyncDocumentDecision> {
  const access = await documentAccessOf(conn, actor.userId, documentId);
  if (access === null) return { allowed: false, spaceId: null };
  const resource = { spaceRole: access.role };
  if (access.trashed || !can(actor, 'space.document.read', resource)) {
    return { allowed: false, spaceId: access.spaceId };
  }
  const readOnly = access.archived || !can(actor, 'space.document.edit', resource);
  return { allowed: true, spaceId: access.spaceId, readOnly };
}

/** The person's current actor from the database (null when the account is gone). */
export async function currentActor(conn: Connection, userId: string): Promise<Actor | null> {
  const user = await models(conn).User.findById(userId, { networkRole: 1, disabled: 1 }).lean();
  if (user === null) return null;
  return { userId, networkRole: user.networkRole, disabled: user.disabled };
}
