import { addMemberSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from '../../respond';
import type { RequestHandler } from './$types';

/** Who is in the space: people and organisations with their roles. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.listMembers(who.actor, params.id), (members) => ({ members }));
};

/** Owners (and staff) add a person by the email of their account, or an organisation (all its contacts). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, addMemberSchema);
  if (!body.ok) return body.response;
  const result = await appContext().spaces.addMember(who.actor, params.id, body.value);
  return respond(result, (member) => ({ id: member.id, member }), 201);
};
