/**
 * The document a signed-in person may read, with what else they may do with it, for the document page and
 * the export endpoint. Reading goes through the space services (which ask `can()` with the person's role in
 * the space); every further capability is asked of `can()` here with that role.
 */
import { can, entityIdSchema, type Actor, type SpaceRole } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '../actor';

export interface ReadableDocument {
  id: string;
  spaceId: string;
  spaceTitle: string;
  title: string;
  role: SpaceRole;
  archived: boolean;
  trashed: boolean;
  lastEditedAt: Date | null;
  /** May change the text now (role, and the space not archived, the document not trashed). */
  canEdit: boolean;
  canExport: boolean;
  canRestoreVersion: boolean;
  canCreateInSpace: boolean;
}

/** The document, or null when it does not exist or the person may not know it does (a 404 for both). */
export async function readableDocument(
  user: SessionUser,
  documentId: string,
): Promise<ReadableDocument | null> {
  const id = entityIdSchema.safeParse(documentId);
  if (!id.success) return null;
  const actor = actorOf(user) as Actor;
  const found = await appContext().spaces.getDocument(actor, id.data);
  if (!found.ok) return null;
  const doc = found.value;
  const resource = { spaceRole: doc.role };
  if (!can(actor, 'space.document.read', resource)) return null;
  const trashed = doc.trashedAt !== null;
  const writable = !doc.archived && !trashed;
  return {
    id: doc.id,
    spaceId: doc.spaceId,
    spaceTitle: doc.spaceTitle,
    title: doc.title,
    role: doc.role,
    archived: doc.archived,
    trashed,
    lastEditedAt: doc.lastEditedAt,
    canEdit: writable && can(actor, 'space.document.edit', resource),
    canExport: can(actor, 'space.document.export', resource),
    canRestoreVersion: writable && can(actor, 'space.document.restore', resource),
    canCreateInSpace: !doc.archived && can(actor, 'space.document.create', resource),
  };
}
