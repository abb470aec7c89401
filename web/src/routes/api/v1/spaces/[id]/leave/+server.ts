import { appContext } from '@cope/db/app-context';
import { actorOrResponse, refusal } from '../../respond';
import type { RequestHandler } from './$types';

/** The signed-in person leaves the space (not its last owner). */
export const POST: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const result = await appContext().spaces.leaveSpace(who.actor, params.id);
  return result.ok ? new Response(null, { status: 204 }) : refusal(result.error);
};
