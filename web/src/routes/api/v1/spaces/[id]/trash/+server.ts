import { appContext } from '@cope/db/app-context';
import { actorOrResponse, respond } from '../../respond';
import type { RequestHandler } from './$types';

/** What is in the space's trash, with the date each item will be purged. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.listTrash(who.actor, params.id), (trash) => ({ trash }));
};
