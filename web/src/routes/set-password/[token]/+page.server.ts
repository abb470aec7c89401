import { fail } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { checkPasswordForm, formText, passwordProblem } from '$lib/server/password-form';
import type { Actions } from './$types';

export const actions: Actions = {
  /** Sets the password with a one-time link (accounts created without one); the link works once. */
  default: async ({ request, params }) => {
    const form = await request.formData().catch(() => new FormData());
    const password = formText(form, 'password');
    const errors = checkPasswordForm({ password });
    if (errors.password) return fail(400, { errors });
    const result = await appContext().accounts.setPasswordWithLink(params.token, password);
    if (!result.ok) {
      const problem = passwordProblem(result.code);
      if (problem) return fail(400, { errors: { password: problem } });
      if (result.code === 'invalidInput') return fail(400, { errors: { password: 'required' as const } });
      return fail(404, { invalidToken: true as const });
    }
    return { done: true as const };
  },
};
