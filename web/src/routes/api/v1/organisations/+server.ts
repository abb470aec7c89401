import { can, organisationCreateSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, readJsonBody } from '$lib/server/api';
import { directoryAnswer, queryOf, signedInActor } from '$lib/server/directory-api';
import type { RequestHandler } from './$types';

/** Members search the directory's organisations: filters and paging as on the directory page. */
export const GET: RequestHandler = async ({ locals, url }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  const result = await appContext().directory.searchOrganisations(queryOf(url), {
    actor: who.actor,
    locale: locals.locale,
  });
  return directoryAnswer(result, ({ items, ...page }) => ({ organisations: items, ...page }));
};

/** Staff add an organisation to the network. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const who = signedInActor(locals);
  if ('response' in who) return who.response;
  // The capability before the body: a member learns nothing from the validation of a body they may not send.
  if (!can(who.actor, 'admin.organisations.manage')) return forbidden();
  const body = await readJsonBody(request, organisationCreateSchema);
  if (!body.ok) return body.response;
  const result = await appContext().directory.createOrganisation(body.value, { actor: who.actor });
  return directoryAnswer(result, (value) => ({ organisation: value }), 201);
};
