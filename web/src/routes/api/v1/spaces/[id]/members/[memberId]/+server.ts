import { changeRoleSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, refusal, respond } from '../../../respond';
import type { RequestHandler } from './$types';

/** Owners (and staff) change a member's role; the last owner stays an owner. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, changeRoleSchema);
  if (!body.ok) return body.response;
  const result = await appContext().spaces.changeRole(who.actor, params.id, params.memberId, body.value);
  return respond(result, (member) => ({ member }));
};

/** Owners (and staff) remove a member; their open documents close at once. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const result = await appContext().spaces.removeMember(who.actor, params.id, params.memberId);
  return result.ok ? new Response(null, { status: 204 }) : refusal(result.error);
};
