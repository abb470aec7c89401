import { searchQuerySchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { actorOrResponse, readQuery, respond } from '../respond';
import type { RequestHandler } from './$types';

/** Messages with every word of `q`, newest first, in the channels one may read. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const query = readQuery(url, searchQuerySchema);
  if (!query.ok) return query.response;
  return respond(await appContext().channels.search(who.actor, query.value), (hits) => ({ hits }));
};
