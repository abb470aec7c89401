import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, readJsonBody, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { applicationDecisionRequestSchema } from '$lib/server/api-schemas';
import { applicationError } from '../../errors';
import type { RequestHandler } from './$types';

/** Staff decide: approve (as member or applicant), reject with a reason, or ask for more information. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.applications.review')) return forbidden();
  const body = await readJsonBody(request, applicationDecisionRequestSchema);
  if (!body.ok) return body.response;
  const { origin, mailer, accounts } = appContext();
  const result = await accounts.decideApplication(params.id, body.value, { actor, origin, mailer });
  if (!result.ok) return applicationError(result.code, result.message, result.fieldErrors);
  return json({ application: result.value });
};
