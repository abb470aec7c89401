import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { apiError, forbidden, readJsonBody, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { statusChangeRequestSchema } from '$lib/server/openapi/staff';
import type { RequestHandler } from './$types';

/** Staff disable (ending every session and live socket of the person) or re-enable an account. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
  if (locals.user === null) return unauthenticated();
  if (!can(actorOf(locals.user), 'admin.members.manage')) return forbidden();
  const body = await readJsonBody(request, statusChangeRequestSchema);
  if (!body.ok) return body.response;
  if (params.id === locals.user.id) return apiError(409, 'self', 'Staff cannot disable themselves.');
  const result = await appContext().staff.setUserDisabled(params.id, body.value.disabled, {
    actorId: locals.user.id,
  });
  if (!result.ok) return apiError(404, 'not_found', 'No such person.');
  return json({
    person: { id: params.id, disabled: body.value.disabled },
    endedSessions: result.value.endedSessions,
  });
};
