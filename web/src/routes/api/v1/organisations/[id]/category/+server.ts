import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { apiError, forbidden, readJsonBody, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { categoryChangeRequestSchema } from '$lib/server/openapi/staff';
import type { RequestHandler } from './$types';

/** Staff move an organisation to another membership category; the step is kept in its history. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
  if (locals.user === null) return unauthenticated();
  if (!can(actorOf(locals.user), 'admin.organisations.manage')) return forbidden();
  const body = await readJsonBody(request, categoryChangeRequestSchema);
  if (!body.ok) return body.response;
  const result = await appContext().staff.changeOrganisationCategory(params.id, body.value, {
    actorId: locals.user.id,
  });
  if (!result.ok) {
    return result.code === 'notFound'
      ? apiError(404, 'not_found', 'No such organisation.')
      : apiError(422, 'invalid_input', result.message);
  }
  return json({
    organisation: {
      id: params.id,
      category: result.value.to,
      termStart: result.value.termStart?.toISOString() ?? null,
    },
    change: { from: result.value.from, to: result.value.to },
  });
};
