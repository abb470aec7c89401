/**
 * Versions of a document as the document page shows them: the sync server's list with the editors' names
 * (from the space's members; someone no longer in the space shows without a name).
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

export async function versionsForPage(
  actor: Actor,
  spaceId: string,
  documentId: string,
): Promise<VersionView[]> {
  const context = appContext();
  const [versions, members] = await Promise.all([
    context.documents.listVersions(documentId),
    context.spaces.listMembers(actor, spaceId),
  ]);
  const names = new Map<string, string>();
  if (members.ok)
    for (const member of members.value) if (member.userId) names.set(member.userId, member.name);
  return versions.map((version) => ({
    id: version.id,
    kind: version.kind,
    name: version.name,
    createdAt: version.createdAt,
    editors: version.editors.flatMap((id) => {
      const name = names.get(id);
      return name === undefined ? [] : [name];
    }),
  }));
}
