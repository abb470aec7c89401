import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { apiError, forbidden, readJsonBody, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { roleChangeRequestSchema } from '$lib/server/openapi/staff';
import type { RequestHandler } from './$types';

/** Staff change another person's network role; the audit log keeps the before and after. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
  if (locals.user === null) return unauthenticated();
  if (!can(actorOf(locals.user), 'admin.members.manage')) return forbidden();
  const body = await readJsonBody(request, roleChangeRequestSchema);
  if (!body.ok) return body.response;
  // Giving up one's own staff role could leave nobody to run the network.
  if (params.id === locals.user.id) return apiError(409, 'self', 'Staff cannot change their own role.');
  const result = await appContext().staff.setNetworkRole(params.id, body.value.role, {
    actorId: locals.user.id,
  });
  if (!result.ok) {
    return result.code === 'notFound' || result.code === 'invalidInput'
      ? apiError(404, 'not_found', 'No such person.')
      : apiError(422, 'invalid_input', result.message);
  }
  return json({ person: { id: params.id, networkRole: result.value.to }, change: result.value });
};
