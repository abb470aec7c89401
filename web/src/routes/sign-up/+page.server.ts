import { fail, redirect } from '@sveltejs/kit';
import { LOCALES } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user !== null) redirect(303, '/sign-up/welcome');
  return { locales: LOCALES };
};

export const actions: Actions = {
  /**
   * The answer is the same whether the address has an account or not, and it does not wait for the mail,
   * so neither its words nor its timing tell (the service does the same work either way).
   */
  default: async (event) => {
    const form = await event.request.formData().catch(() => new FormData());
    const values = {
      name: formText(form, 'name').trim().slice(0, 200),
      email: formText(form, 'email').trim().slice(0, 254),
      locale: formText(form, 'locale'),
    };
    const { origin, staff } = appContext();
    const result = await staff.signUpAffiliate({
      ...values,
      password: formText(form, 'password'),
      address: event.getClientAddress(),
      origin,
    });
    if (!result.ok && result.reason === 'limited') return fail(429, { values, limited: true as const });
    if (!result.ok) return fail(400, { values, fields: result.fields });
    return { sent: true as const };
  },
};
