import { appContext } from '@cope/db/app-context';
import { directoryAnswer, queryOf, signedInActor } from '$lib/server/directory-api';
import type { RequestHandler } from './$types';

/** Members search the directory's people: filters and paging as on the directory page. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  const result = await appContext().directory.searchPeople(queryOf(url), {
    actor: who.actor,
    locale: locals.locale,
  });
  return directoryAnswer(result, ({ items, ...page }) => ({ people: items, ...page }));
};
