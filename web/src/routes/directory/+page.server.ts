import { error } from '@sveltejs/kit';
import type { DirectoryKind } from '@cope/domain';
import type { DirectoryOrganisationSummary, DirectoryPersonSummary, DirectoryResult } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

const FILTERS = ['q', 'country', 'language', 'expertise', 'category', 'page'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/**
 * Runs a search; a filter the service refuses (a hand-edited or outdated link) is dropped and the search
 * runs again without it, so a shared address never ends on an error page. Returns the filters kept.
 */
async function searchKeepingValid<T>(
  filters: Filters,
  search: (query: Filters) => Promise<DirectoryResult<T>>,
): Promise<{ result: DirectoryResult<T>; filters: Filters; ignored: string[] }> {
  const result = await search(filters);
  if (result.ok || result.code !== 'invalidInput') return { result, filters, ignored: [] };
  const ignored = [...new Set((result.issues ?? []).map((issue) => issue.path.split('.')[0] ?? ''))];
  const kept = Object.fromEntries(Object.entries(filters).filter(([name]) => !ignored.includes(name)));
  return { result: await search(kept), filters: kept, ignored };
}

/** The directory page: a GET form, so every search is a shareable address. */
export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'directory.read');
  const params = event.url.searchParams;
  const kind: DirectoryKind = params.get('kind') === 'people' ? 'people' : 'organisations';
  const requested: Filters = {};
  for (const name of FILTERS) {
    const value = params.get(name);
    if (value !== null && value.trim() !== '') requested[name] = value;
  }
  const { directory } = appContext();
  const options = { actor: actorOf(user), locale: event.locals.locale };

  let organisations: DirectoryOrganisationSummary[] = [];
  let people: DirectoryPersonSummary[] = [];
  let answer;
  if (kind === 'people') {
    answer = await searchKeepingValid(requested, (query) => directory.searchPeople(query, options));
    if (answer.result.ok) people = answer.result.value.items;
  } else {
    answer = await searchKeepingValid(requested, (query) => directory.searchOrganisations(query, options));
    if (answer.result.ok) organisations = answer.result.value.items;
  }
  if (!answer.result.ok) error(403, { message: 'Forbidden', code: 'forbidden' });
  const { total, page, pageSize } = answer.result.value;
  return {
    kind,
    filters: answer.filters,
    ignored: answer.ignored,
    total,
    page,
    pages: Math.max(1, Math.ceil(total / pageSize)),
    organisations,
    people,
  };
};
