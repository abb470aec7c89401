import { fail, redirect } from '@sveltejs/kit';
import { COUNTRY_CODES, ORGANISATION_CATEGORIES, organisationCategorySchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.organisations.manage');
  const params = event.url.searchParams;
  const query = (params.get('q') ?? '').trim().slice(0, 200);
  const category = organisationCategorySchema.safeParse(params.get('category'));
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const found = await appContext().staff.listOrganisations({
    ...(query === '' ? {} : { query }),
    ...(category.success ? { category: category.data } : {}),
    page,
  });
  const pageLink = (n: number): string => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `?${next.toString()}`;
  };
  return {
    filters: { query, category: category.success ? category.data : '' },
    organisations: found.organisations,
    total: found.total,
    previous: found.page > 1 ? pageLink(found.page - 1) : null,
    next: found.page * found.pageSize < found.total ? pageLink(found.page + 1) : null,
    countries: COUNTRY_CODES,
    categories: ORGANISATION_CATEGORIES,
  };
};

export const actions: Actions = {
  create: async (event) => {
    const user = requirePage(event, 'admin.organisations.manage');
    const form = await event.request.formData().catch(() => new FormData());
    const values = {
      name: formText(form, 'name').trim(),
      country: formText(form, 'country'),
      category: formText(form, 'category'),
    };
    const problems: { name?: true; country?: true; category?: true } = {};
    if (values.name === '' || values.name.length > 200) problems.name = true;
    if (!(COUNTRY_CODES as readonly string[]).includes(values.country)) problems.country = true;
    if (!organisationCategorySchema.safeParse(values.category).success) problems.category = true;
    if (Object.keys(problems).length > 0) return fail(400, { values, problems });
    const result = await appContext().staff.createOrganisation(
      { name: values.name, country: values.country, category: values.category as 'member' },
      { actorId: user.id },
    );
    if (!result.ok) {
      const refused: typeof problems = { name: true };
      return fail(400, { values, problems: refused });
    }
    redirect(303, `/admin/organisations/${result.value.id}`);
  },
};
