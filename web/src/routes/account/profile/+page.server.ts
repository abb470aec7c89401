import { error, fail } from '@sveltejs/kit';
import type { ProfileUpdateInput } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad } from './$types';

/** The fields of the form, in the order of the page (the error summary follows it). */
const FIELDS = ['name', 'jobTitle', 'country', 'languages', 'expertise', 'bio', 'phone', 'website'] as const;
type Field = (typeof FIELDS)[number];

export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'account.profile.edit');
  const result = await appContext().directory.getOwnProfile({ actor: actorOf(user) });
  if (!result.ok) error(result.code === 'forbidden' ? 403 : 404, { message: result.message });
  return { profile: result.value };
};

function valuesOf(form: FormData): ProfileUpdateInput {
  const country = formText(form, 'country');
  return {
    name: formText(form, 'name'),
    jobTitle: formText(form, 'jobTitle'),
    country: country === '' ? null : country,
    languages: form.getAll('languages').filter((v): v is string => typeof v === 'string'),
    expertise: form.getAll('expertise').filter((v): v is string => typeof v === 'string') as never,
    bio: formText(form, 'bio').replace(/\r\n/g, '\n'),
    phone: formText(form, 'phone'),
    website: formText(form, 'website'),
    // Unchecked boxes are not sent: absent means "no".
    visibility: {
      listed: form.get('listed') === 'on',
      email: form.get('showEmail') === 'on',
      phone: form.get('showPhone') === 'on',
    },
  };
}

export const actions: Actions = {
  default: async (event) => {
    const user = requirePage(event, 'account.profile.edit');
    const form = await event.request.formData().catch(() => new FormData());
    const values = valuesOf(form);
    const result = await appContext().directory.updateOwnProfile(values, { actor: actorOf(user) });
    if (result.ok) return { saved: true as const };
    if (result.code !== 'invalidInput')
      return fail(400, { values, invalid: [] as Field[], failed: true as const });
    const named = new Set((result.issues ?? []).map((issue) => issue.path.split('.')[0]));
    return fail(400, { values, invalid: FIELDS.filter((field) => named.has(field)), failed: false as const });
  },
};
