import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { can, type Action } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import { actorOf } from './actor';

/**
 * A page only some people may open: anonymous visitors go to sign-in (and come back after),
 * signed-in people without the capability get a 403 page. Every check goes through `can()`.
 */
export function requirePage(event: Pick<RequestEvent, 'locals' | 'url'>, action: Action): SessionUser {
  const user = event.locals.user;
  if (user === null) {
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  }
  if (!can(actorOf(user), action)) error(403, { message: 'Forbidden', code: 'forbidden' });
  return user;
}
