import { redirect } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { deleteSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** Sign-out is a POST (from the header's button); a GET here just goes home. */
export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ locals, cookies }) => {
    if (locals.session !== null) await appContext().accounts.invalidateSession(locals.session.id);
    deleteSessionCookie(cookies);
    redirect(303, '/');
  },
};
