import { openDirectSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from '../respond';
import type { RequestHandler } from './$types';

/** The direct conversation of the signed-in person and `userIds` (created on first use, then the same one). */
export const POST: RequestHandler = async ({ locals, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, openDirectSchema);
  if (!body.ok) return body.response;
  return respond(await appContext().channels.openDirect(who.actor, body.value.userIds), (channel) => ({
    channel,
  }));
};
