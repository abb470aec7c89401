import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { applicationError } from '../errors';
import type { RequestHandler } from './$types';

/** Staff read one application (the reports as names and sizes; download them under `reports/0` and `reports/1`). */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.applications.review')) return forbidden();
  const result = await appContext().accounts.getApplication(params.id, { actor });
  if (!result.ok) return applicationError(result.code, result.message);
  return json({ application: result.value });
};
