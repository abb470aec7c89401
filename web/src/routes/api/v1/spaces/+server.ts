import { createSpaceSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { json } from '@sveltejs/kit';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from './respond';
import type { RequestHandler } from './$types';

/** The spaces the signed-in person is in (own or organisation membership). */
export const GET: RequestHandler = async ({ locals }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return json({ spaces: await appContext().spaces.listSpacesFor(who.actor.userId) });
};

/** Staff create a space; the creator, or the person named by `ownerEmail`, is its first owner. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, createSpaceSchema);
  if (!body.ok) return body.response;
  const result = await appContext().spaces.createSpace(who.actor, body.value);
  return respond(result, (v) => ({ id: v.id }), 201);
};
