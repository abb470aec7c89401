import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { json } from '@sveltejs/kit';
import { apiError, forbidden } from '$lib/server/api';
import { actorOrResponse, refusal } from '../../spaces/respond';
import type { RequestHandler } from './$types';

const BOOLEAN_PARAMS: Record<string, boolean> = { true: true, false: false };

/**
 * Staff: every space's metadata and owners (never its documents), newest first, 25 a page.
 * `?archived=true|false` filters by state, `?q=` searches titles, `?page=` from 1.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  if (!can(who.actor, 'admin.spaces.read')) return forbidden();
  const params = url.searchParams;
  const problems: { path: string; message: string }[] = [];
  const archivedParam = params.get('archived');
  const archived = archivedParam === null ? undefined : BOOLEAN_PARAMS[archivedParam];
  if (archivedParam !== null && archived === undefined) {
    problems.push({ path: 'archived', message: 'Expected true or false.' });
  }
  const pageParam = params.get('page');
  const page = pageParam === null ? 1 : Number(pageParam);
  if (!Number.isInteger(page) || page < 1 || page > 10_000) {
    problems.push({ path: 'page', message: 'Expected a whole number from 1 to 10000.' });
  }
  const query = params.get('q') ?? undefined;
  if (query !== undefined && query.length > 200) {
    problems.push({ path: 'q', message: 'At most 200 characters.' });
  }
  if (problems.length > 0) {
    return apiError(422, 'invalid_input', 'The query does not match the expected shape.', {
      details: problems,
    });
  }
  const result = await appContext().spaces.listAllSpaces(who.actor, {
    ...(archived === undefined ? {} : { archived }),
    ...(query === undefined ? {} : { query }),
    page,
  });
  if (!result.ok) return refusal(result.error);
  return json(result.value);
};
