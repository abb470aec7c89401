import { appContext } from '@cope/db/app-context';
import { directoryAnswer, signedInActor } from '$lib/server/directory-api';
import type { RequestHandler } from './$types';

/** One person's directory profile, with the contact details they show. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  const result = await appContext().directory.getPersonProfile(params.id, {
    actor: who.actor,
    locale: locals.locale,
  });
  return directoryAnswer(result, (person) => ({ person }));
};
