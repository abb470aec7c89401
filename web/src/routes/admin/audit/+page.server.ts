import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import { auditFilterOf, parseAuditQuery } from '$lib/components/admin/audit-query';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.audit.read');
  const params = event.url.searchParams;
  const shown = {
    action: params.get('action') ?? '',
    actor: params.get('actor') ?? '',
    subject: params.get('subject') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) return { filters: shown, invalid: parsed.invalid, events: [], next: null, first: null };
  const staff = appContext().staff;
  // The day fields are the reader's calendar days, as the dates in the list are shown in their zone.
  const filter = await auditFilterOf(parsed.value, staff, PAGE_SIZE, event.locals.timeZone);
  const page = filter === null ? { events: [], nextCursor: null } : await staff.auditPage(filter);
  const link = (cursor: string | null): string => {
    const next = new URLSearchParams(params);
    if (cursor === null) next.delete('cursor');
    else next.set('cursor', cursor);
    return `?${next.toString()}`;
  };
  return {
    filters: shown,
    invalid: [] as string[],
    events: page.events,
    next: page.nextCursor === null ? null : link(page.nextCursor),
    first: parsed.value.cursor === undefined ? null : link(null),
  };
};
