import { appContext } from '@cope/db/app-context';
import { actorOrResponse, respond } from '../../respond';
import type { RequestHandler } from './$types';

/** Staff bring an archived space back. */
export const POST: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.restoreSpace(who.actor, params.id), (space) => ({ space }));
};
