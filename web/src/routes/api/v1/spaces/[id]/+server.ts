import { updateSpaceSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from '../respond';
import type { RequestHandler } from './$types';

/** One space, for its members (404 for everyone else). */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.getSpace(who.actor, params.id), (space) => ({ space }));
};

/** Owners (and staff) change the title, description, kind, countries or working languages. */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, updateSpaceSchema);
  if (!body.ok) return body.response;
  return respond(await appContext().spaces.updateSpace(who.actor, params.id, body.value), (space) => ({
    space,
  }));
};
