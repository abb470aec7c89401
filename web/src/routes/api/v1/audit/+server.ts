import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { apiError, forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { auditFilterOf, parseAuditQuery } from '$lib/components/admin/audit-query';
import type { RequestHandler } from './$types';

const DEFAULT_LIMIT = 50;

/** The audit log for staff, newest first, filtered like the staff page, a page at a time. */
export const GET: RequestHandler = async ({ locals, url }) => {
  if (locals.user === null) return unauthenticated();
  if (!can(actorOf(locals.user), 'admin.audit.read')) return forbidden();
  const parsed = parseAuditQuery(url.searchParams);
  if (!parsed.ok) {
    return apiError(422, 'invalid_input', 'A filter is not valid.', {
      details: parsed.invalid.map((path) => ({ path, message: 'invalid' })),
    });
  }
  const staff = appContext().staff;
  const filter = await auditFilterOf(parsed.value, staff, DEFAULT_LIMIT);
  const page = filter === null ? { events: [], nextCursor: null } : await staff.auditPage(filter);
  return json({
    events: page.events.map((e) => ({ ...e, at: e.at.toISOString() })),
    nextCursor: page.nextCursor,
  });
};
