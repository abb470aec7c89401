import { TRASH_RETENTION_DAYS } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { notFound, requireSpacesPerson } from '$lib/components/spaces/server/access';
import { done, formText, readForm, refused } from '$lib/components/spaces/server/forms';
import type { Actions, PageServerLoad } from './$types';

const DAY_MS = 24 * 60 * 60 * 1000;

export const load: PageServerLoad = async (event) => {
  const { actor } = requireSpacesPerson(event);
  const trash = await appContext().spaces.listTrash(actor, event.params.spaceId);
  if (!trash.ok) notFound();
  const now = Date.now();
  return {
    items: trash.value.map((item) => ({
      id: item.id,
      type: item.type,
      title: item.title,
      trashedAt: item.trashedAt,
      // Rounded up: just after a deletion the full retention is left; "1" means within the day.
      daysLeft: Math.max(0, Math.ceil((item.purgeAt.getTime() - now) / DAY_MS)),
    })),
    retentionDays: TRASH_RETENTION_DAYS,
  };
};

export const actions: Actions = {
  restore: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const result = await appContext().spaces.restoreDocumentNode(actor, formText(form, 'nodeId'));
    if (!result.ok) return refused('restore', result.error);
    return done('restore', { key: 'spaces.trash.restored', params: { title: result.value.title } });
  },
};
