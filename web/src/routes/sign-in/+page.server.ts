import { fail } from '@sveltejs/kit';
import { parseSignInForm } from '$lib/server/sign-in-form';
import type { Actions } from './$types';

export const actions: Actions = {
  /**
   * Accounts arrive in a later change. Until then the form is checked as it will be, and a valid
   * submission answers that sign-in opens soon; no session is created and nothing is stored.
   */
  default: async ({ request }) => {
    // A body that is not form data is answered like an empty form.
    const form = await request.formData().catch(() => new FormData());
    const result = parseSignInForm(form);
    if (!result.ok) return fail(400, { email: result.email, errors: result.errors });
    return { email: result.email, opensSoon: true as const };
  },
};
