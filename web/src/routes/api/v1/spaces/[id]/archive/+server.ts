import { appContext } from '@cope/db/app-context';
import { actorOrResponse, respond } from '../../respond';
import type { RequestHandler } from './$types';

/** Owners (and staff) archive the space: read-only for everyone until staff restore it. */
export const POST: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.archiveSpace(who.actor, params.id), (space) => ({ space }));
};
