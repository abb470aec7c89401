import { fail, redirect } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { checkPasswordForm, formText, passwordProblem } from '$lib/server/password-form';
import { setSessionCookie } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** The invitee's page: what the invitation is for, or that the link does not work. */
export const load: PageServerLoad = async ({ params }) => {
  const described = await appContext().accounts.describeInvitation(params.token);
  if (!described.ok) return { invitation: null };
  const { email, name, organisationName } = described.value;
  return { invitation: { email, name, organisationName } };
};

export const actions: Actions = {
  /** Accept: creates the account with this name and password and signs the person in. */
  default: async ({ request, params, cookies, locals }) => {
    const form = await request.formData().catch(() => new FormData());
    const name = formText(form, 'name');
    const password = formText(form, 'password');
    const errors = checkPasswordForm({ name, password });
    if (errors.name || errors.password) return fail(400, { errors, name });

    const accepted = await appContext().accounts.acceptInvitation(params.token, {
      name,
      password,
      locale: locals.locale,
    });
    if (!accepted.ok) {
      const problem = passwordProblem(accepted.code);
      if (problem) return fail(400, { errors: { password: problem }, name });
      if (accepted.code === 'invalidInput') return fail(400, { errors: { name: 'required' as const }, name });
      return fail(404, { invalidToken: true as const, name });
    }
    setSessionCookie(cookies, accepted.value.sessionToken, accepted.value.session);
    redirect(303, '/');
  },
};
