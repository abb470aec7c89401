import { fail } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad } from './$types';

/** The archived filter as it reads in the address: `yes`, `no`, or anything else for every space. */
export type ArchivedFilter = '' | 'yes' | 'no';

function archivedFilterOf(value: string | null): ArchivedFilter {
  return value === 'yes' || value === 'no' ? value : '';
}

/** Every space for staff: metadata and owners only (the list never carries documents). */
export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'admin.spaces.read');
  const actor = actorOf(user);
  const params = event.url.searchParams;
  const query = (params.get('q') ?? '').trim().slice(0, 200);
  const archived = archivedFilterOf(params.get('archived'));
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const found = actor
    ? await appContext().spaces.listAllSpaces(actor, {
        ...(query === '' ? {} : { query }),
        ...(archived === '' ? {} : { archived: archived === 'yes' }),
        page,
      })
    : null;
  const value = found?.ok === true ? found.value : { spaces: [], total: 0, page: 1, pageSize: 1 };
  const pageLink = (n: number): string => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `?${next.toString()}`;
  };
  return {
    filters: { query, archived },
    spaces: value.spaces,
    total: value.total,
    previous: value.page > 1 ? pageLink(value.page - 1) : null,
    next: value.page * value.pageSize < value.total ? pageLink(value.page + 1) : null,
  };
};

export const actions: Actions = {
  /** Staff restore an archived space from the list, member of it or not. */
  restore: async (event) => {
    const user = requirePage(event, 'admin.spaces.read');
    const actor = actorOf(user);
    const form = await event.request.formData().catch(() => new FormData());
    const spaceId = formText(form, 'spaceId');
    const result = actor ? await appContext().spaces.restoreSpace(actor, spaceId) : null;
    if (result === null || !result.ok) return fail(400, { restoreFailed: true as const, spaceId });
    return { restored: { id: result.value.id, title: result.value.title } };
  },
};
