import { appContext } from '@cope/db/app-context';
import { directoryAnswer, signedInActor } from '$lib/server/directory-api';
import type { RequestHandler } from './$types';

/** One organisation's directory profile with its listed contacts. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  const result = await appContext().directory.getOrganisationProfile(params.id, {
    actor: who.actor,
    locale: locals.locale,
  });
  return directoryAnswer(result, (organisation) => ({ organisation }));
};
