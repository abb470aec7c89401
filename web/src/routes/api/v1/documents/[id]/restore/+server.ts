import { appContext } from '@cope/db/app-context';
import { actorOrResponse, respond } from '../../../spaces/respond';
import type { RequestHandler } from './$types';

/** Brings a document or folder back from the trash (to the root if its folder is gone). */
export const POST: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.restoreDocumentNode(who.actor, params.id), (node) => ({ node }));
};
