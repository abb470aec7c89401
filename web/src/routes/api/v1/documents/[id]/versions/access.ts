/**
 * Who may do what with a document's versions, through `can()` with the person's role in the document's
 * space (SPACES' `documentAccessOf`): reading (list, open) needs `space.document.read`, naming a version
 * `space.document.edit`, restoring `space.document.restore`; naming and restoring also need the space not
 * archived and the document not in the trash. Someone who may not read the document gets the same 404 as
 * for a document that does not exist.
 */
import { can, type Action } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { apiError, forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';

export type VersionsAccess =
  { ok: true; user: SessionUser; documentId: string } | { ok: false; response: Response };

const ACTIONS: Record<'read' | 'edit' | 'restore', Action> = {
  read: 'space.document.read',
  edit: 'space.document.edit',
  restore: 'space.document.restore',
};

export async function versionsAccess(
  user: SessionUser | null,
  documentId: string,
  need: 'read' | 'edit' | 'restore',
): Promise<VersionsAccess> {
  if (user === null) return { ok: false, response: unauthenticated() };
  const access = await appContext().spaces.documentAccessOf(user.id, documentId);
  const actor = actorOf(user);
  const resource = access ? { spaceRole: access.role } : undefined;
  if (access === null || !can(actor, ACTIONS.read, resource)) {
    return { ok: false, response: apiError(404, 'not_found', 'No such document.') };
  }
  if (need !== 'read') {
    const writable = !access.archived && !access.trashed;
    if (!writable || !can(actor, ACTIONS[need], resource)) return { ok: false, response: forbidden() };
  }
  return { ok: true, user, documentId: access.documentId };
}

export const noSuchVersion = (): Response => apiError(404, 'not_found', 'No such version.');
