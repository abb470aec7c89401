import { fail, type Action } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { checkPasswordForm, formText, passwordProblem } from './password-form';

/**
 * The action of a one-time password link page: `set-password` (accounts created without a password)
 * or `reset` (the forgot-password mail). The link works once; every session of the person ends.
 */
export function passwordLinkAction(kind: 'set-password' | 'reset'): Action<{ token: string }> {
  return async ({ request, params }) => {
    const form = await request.formData().catch(() => new FormData());
    const password = formText(form, 'password');
    const errors = checkPasswordForm({ password });
    if (errors.password) return fail(400, { errors });
    const { accounts } = appContext();
    const result =
      kind === 'reset'
        ? await accounts.resetPassword(params.token, password)
        : await accounts.setPasswordWithLink(params.token, password);
    if (!result.ok) {
      const problem = passwordProblem(result.code);
      if (problem) return fail(400, { errors: { password: problem } });
      if (result.code === 'invalidInput') return fail(400, { errors: { password: 'required' as const } });
      return fail(404, { invalidToken: true as const });
    }
    return { done: true as const };
  };
}
