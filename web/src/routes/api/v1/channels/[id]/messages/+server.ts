import { historyQuerySchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { actorOrResponse, readQuery, respond } from '../../respond';
import type { RequestHandler } from './$types';

/**
 * One page of a channel's history in ascending order: the newest (no parameter), the one `before` or
 * `after` a sequence number, the one opening at the first unread message (`firstUnread=true`), or a
 * thread's replies (`parentId`).
 */
export const GET: RequestHandler = async ({ locals, url, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const query = readQuery(url, historyQuerySchema, { channelId: params.id });
  if (!query.ok) return query.response;
  return respond(await appContext().channels.history(who.actor, query.value), (page) => page);
};
