import { error, fail } from '@sveltejs/kit';
import { COUNTRY_CODES, EXPERTISE_AREAS, ORGANISATION_CATEGORIES } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.organisations.manage');
  const organisation = await appContext().staff.getOrganisation(event.params.id);
  if (organisation === null) error(404, 'Not found');
  return {
    organisation,
    countries: COUNTRY_CODES,
    categories: ORGANISATION_CATEGORIES,
    expertiseAreas: EXPERTISE_AREAS,
  };
};

/** "fr, en nl" → ['fr', 'en', 'nl']: the form takes language codes as text (there are 183 of them). */
function codes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toLowerCase())
    .filter((code) => code !== '');
}

export const actions: Actions = {
  update: async (event) => {
    const user = requirePage(event, 'admin.organisations.manage');
    const form = await event.request.formData().catch(() => new FormData());
    const website = formText(form, 'website').trim();
    const input = {
      name: formText(form, 'name').trim(),
      country: formText(form, 'country'),
      languages: codes(formText(form, 'languages')),
      expertise: form.getAll('expertise').filter((v): v is string => typeof v === 'string'),
      website: website === '' ? null : website,
      description: formText(form, 'description'),
    };
    const result = await appContext().staff.updateOrganisation(event.params.id, input, { actorId: user.id });
    if (!result.ok) {
      if (result.code === 'notFound') error(404, 'Not found');
      return fail(400, {
        form: 'update' as const,
        fields: Object.keys(result.fields ?? { form: '' }),
        values: { ...input, languages: formText(form, 'languages') },
      });
    }
    return { form: 'update' as const, updated: true as const };
  },

  category: async (event) => {
    const user = requirePage(event, 'admin.organisations.manage');
    const form = await event.request.formData().catch(() => new FormData());
    const category = formText(form, 'category');
    const termStart = formText(form, 'termStart');
    const result = await appContext().staff.changeOrganisationCategory(
      event.params.id,
      {
        category,
        ...(category === 'applicant' && termStart !== '' ? { termStart: `${termStart}T00:00:00.000Z` } : {}),
      },
      { actorId: user.id },
    );
    if (!result.ok) {
      if (result.code === 'notFound') error(404, 'Not found');
      return fail(400, { form: 'category' as const, fields: Object.keys(result.fields ?? { category: '' }) });
    }
    return { form: 'category' as const, changed: result.value.to };
  },
};
