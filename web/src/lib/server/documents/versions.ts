/**
 * Versions of a document as the document page shows them: the sync server's list with the editors' names
 * (from the space's members; someone no longer in the space shows without a name), a page at a time.
 */
import type { Actor, DocumentVersionKind } from '@cope/domain';
import { appContext } from '@cope/db/app-context';

export interface VersionView {
  id: string;
  kind: DocumentVersionKind;
  name: string | null;
  createdAt: string;
  editors: string[];
}

/** A page of versions as the page shows them; `next` asks for the older ones (null when none). */
export interface VersionViewPage {
  versions: VersionView[];
  next: string | null;
}

/** The newest page without `before`; the page older than it with the previous page's `next`. */
export async function versionsForPage(
  actor: Actor,
  spaceId: string,
  documentId: string,
  before?: string,
): Promise<VersionViewPage> {
  const context = appContext();
  const [page, members] = await Promise.all([
    context.documents.listVersions(documentId, { before }),
    context.spaces.listMembers(actor, spaceId),
  ]);
  const names = new Map<string, string>();
  if (members.ok)
    for (const member of members.value) if (member.userId) names.set(member.userId, member.name);
  const versions = page.versions.map((version) => ({
    id: version.id,
    kind: version.kind,
    name: version.name,
    createdAt: version.createdAt,
    editors: version.editors.flatMap((id) => {
      const name = names.get(id);
      return name === undefined ? [] : [name];
    }),
  }));
  return { versions, next: page.next };
}
