import { redirect } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { requireSpacesPerson } from '$lib/components/spaces/server/access';
import { done, refused } from '$lib/components/spaces/server/forms';
import type { Actions } from './$types';

/** Leaving, archiving and restoring: each is its own confirmed step on this page. */
export const actions: Actions = {
  leave: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const result = await appContext().spaces.leaveSpace(actor, event.params.spaceId);
    if (!result.ok) return refused('leave', result.error);
    // The space is no longer theirs to see: back to their home, where it no longer appears.
    redirect(303, '/');
  },

  archive: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const result = await appContext().spaces.archiveSpace(actor, event.params.spaceId);
    if (!result.ok) return refused('archive', result.error);
    return done('archive', { key: 'spaces.archive.done' });
  },

  restore: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const result = await appContext().spaces.restoreSpace(actor, event.params.spaceId);
    if (!result.ok) return refused('restore', result.error);
    return done('restore', { key: 'spaces.restore.done' });
  },
};
