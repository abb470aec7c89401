import { profileUpdateSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { directoryAnswer, signedInActor } from '$lib/server/directory-api';
import type { RequestHandler } from './$types';

/** The signed-in person's own profile and visibility choices. */
export const GET: RequestHandler = async ({ locals }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  const result = await appContext().directory.getOwnProfile({ actor: who.actor });
  return directoryAnswer(result, (profile) => ({ profile }));
};

/** Changes any subset of one's profile and choices; nothing changes when any field is invalid. */
export const PATCH: RequestHandler = async ({ locals, request }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, profileUpdateSchema);
  if (!body.ok) return body.response;
  const result = await appContext().directory.updateOwnProfile(body.value, { actor: who.actor });
  return directoryAnswer(result, (profile) => ({ profile }));
};
