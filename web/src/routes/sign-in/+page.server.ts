import { fail, redirect } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { safeNext } from '$lib/server/redirect-target';
import { setSessionCookie } from '$lib/server/session';
import { parseSignInForm } from '$lib/server/sign-in-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  // Already signed in: nothing to do here.
  if (locals.user !== null) redirect(303, safeNext(url.searchParams.get('next')));
  return {};
};

export const actions: Actions = {
  /**
   * Checks the form, then asks the account service. Every refusal reads the same ("email or password
   * not correct") so the page never tells whether an address has an account; a lockout says for how long.
   */
  default: async (event) => {
    const { request, cookies, url } = event;
    // A body that is not form data is answered like an empty form.
    const form = await request.formData().catch(() => new FormData());
    const parsed = parseSignInForm(form);
    if (!parsed.ok) return fail(400, { email: parsed.email, errors: parsed.errors });

    const result = await appContext().accounts.signIn({
      email: form.get('email'),
      password: form.get('password'),
      address: event.getClientAddress(),
    });
    if (!result.ok) {
      if (result.reason === 'locked') {
        const minutes = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 60_000));
        return fail(429, { email: parsed.email, lockedMinutes: minutes });
      }
      return fail(400, { email: parsed.email, failed: true as const });
    }
    setSessionCookie(cookies, result.token, result.session);
    redirect(303, safeNext(url.searchParams.get('next')));
  },
};
