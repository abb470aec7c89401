import { fail, redirect } from '@sveltejs/kit';
import { COUNTRY_CODES } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readApplicationForm } from './application-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ countries: COUNTRY_CODES });

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData().catch(() => new FormData());
    const { values, files } = await readApplicationForm(form);
    const { origin, mailer, accounts } = appContext();
    const result = await accounts.submitApplication(
      { ...values, website: values.website.trim() === '' ? null : values.website },
      files,
      { address: event.getClientAddress(), origin, mailer },
    );
    // Stored even when only the confirmation mail failed: the applicant must not send it twice.
    if (result.ok || result.code === 'mailFailed') {
      redirect(303, result.ok ? '/join/received' : '/join/received?mail=failed');
    }
    return fail(result.code === 'rateLimited' ? 429 : 400, {
      values,
      fieldErrors: result.fieldErrors ?? {},
      refused: result.code,
    });
  },
};
