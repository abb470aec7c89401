import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import type { DocumentChange, RecentDocument, SpaceSummary } from '$lib/components/spaces/types';
import type { PageServerLoad } from './$types';

type Home =
  | { kind: 'landing' }
  | { kind: 'news' }
  | {
      kind: 'dashboard';
      spaces: SpaceSummary[];
      recentDocuments: RecentDocument[];
      changes: DocumentChange[];
    };

/**
 * `/` is three pages: the landing page for visitors, the news page for affiliates (who are in no space),
 * and for members and staff their spaces, recent documents and what others changed since they looked.
 */
export const load: PageServerLoad = async ({ locals }): Promise<{ home: Home }> => {
  const actor = actorOf(locals.user);
  if (actor === null) return { home: { kind: 'landing' } };
  if (!can(actor, 'space.read', { spaceRole: 'viewer' })) return { home: { kind: 'news' } };

  const home = await appContext().spaces.homeFor(actor.userId);
  return {
    home: {
      kind: 'dashboard',
      spaces: home.spaces.map((space) => ({
        id: space.id,
        title: space.title,
        kind: space.kind,
        role: space.role,
        lastActivityAt: space.updatedAt,
        archived: space.archivedAt !== null,
      })),
      recentDocuments: home.recentDocuments.flatMap((doc) =>
        doc.openedAt === null
          ? []
          : [
              {
                id: doc.id,
                spaceId: doc.spaceId,
                spaceTitle: doc.spaceTitle,
                title: doc.title,
                openedAt: doc.openedAt,
              },
            ],
      ),
      changes: home.changesSinceLastVisit.flatMap((doc) =>
        doc.lastEditedAt === null
          ? []
          : [
              {
                id: doc.id,
                spaceId: doc.spaceId,
                spaceTitle: doc.spaceTitle,
                title: doc.title,
                editedAt: doc.lastEditedAt,
                editors: doc.lastEditedBy && doc.lastEditedBy.name !== '' ? [doc.lastEditedBy.name] : [],
              },
            ],
      ),
    },
  };
};
