import { fail } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { emailSchema } from '@cope/domain';
import { formText } from '$lib/server/password-form';
import type { Actions } from './$types';

export const actions: Actions = {
  /**
   * Asks for a reset link. The answer is the same whether the address has an account or not, and it
   * does not wait for the mail, so neither its words nor its timing tell.
   */
  default: async (event) => {
    const form = await event.request.formData().catch(() => new FormData());
    const email = formText(form, 'email').trim().slice(0, 254);
    if (email === '') return fail(400, { email, error: 'emailRequired' as const });
    if (!emailSchema.safeParse(email).success) return fail(400, { email, error: 'emailInvalid' as const });
    const { origin, mailer, logger, accounts } = appContext();
    const result = await accounts.requestPasswordReset(
      { email, address: event.getClientAddress(), origin },
      { mailer, logger },
    );
    if (!result.ok && result.reason === 'limited') return fail(429, { email, limited: true as const });
    if (!result.ok) return fail(400, { email, error: 'emailInvalid' as const });
    return { sent: true as const };
  },
};
