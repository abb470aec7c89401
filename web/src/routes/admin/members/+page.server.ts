import { networkRoleSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

const STATUSES = ['all', 'active', 'disabled'] as const;
type Status = (typeof STATUSES)[number];

/** People, searched by name or email and filtered by role and status, from the page's query string. */
export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.members.manage');
  const params = event.url.searchParams;
  const query = (params.get('q') ?? '').trim().slice(0, 200);
  const role = networkRoleSchema.safeParse(params.get('role'));
  const statusParam = params.get('status');
  const status: Status = STATUSES.find((s) => s === statusParam) ?? 'all';
  const page = Math.max(1, Math.min(10_000, Number.parseInt(params.get('page') ?? '1', 10) || 1));
  const found = await appContext().staff.listPeople({
    ...(query === '' ? {} : { query }),
    ...(role.success ? { role: role.data } : {}),
    ...(status === 'all' ? {} : { disabled: status === 'disabled' }),
    page,
  });
  const pageLink = (n: number): string => {
    const next = new URLSearchParams(params);
    next.set('page', String(n));
    return `?${next.toString()}`;
  };
  return {
    filters: { query, role: role.success ? role.data : '', status },
    people: found.people,
    total: found.total,
    previous: found.page > 1 ? pageLink(found.page - 1) : null,
    next: found.page * found.pageSize < found.total ? pageLink(found.page + 1) : null,
  };
};
