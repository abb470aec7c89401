import { fail, redirect } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

// Opening the link shows a button; confirming is a POST, so a mail scanner following links uses nothing.
export const load: PageServerLoad = () => ({});

export const actions: Actions = {
  default: async (event) => {
    const result = await appContext().staff.confirmAffiliateEmail(event.params.token);
    if (!result.ok) return fail(400, { invalid: true as const });
    setSessionCookie(event.cookies, result.token, result.session);
    redirect(303, '/sign-up/welcome');
  },
};
