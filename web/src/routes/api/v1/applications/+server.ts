import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { apiError, forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { readApplicationForm } from '../../../join/application-form';
import { applicationError } from './errors';
import type { RequestHandler } from './$types';

/** An organisation applies (multipart: the text fields, `report1` and `report2` as PDFs). No sign-in. */
export const POST: RequestHandler = async (event) => {
  const form = await event.request.formData().catch(() => null);
  if (form === null) return apiError(400, 'invalid_body', 'The body is not multipart form data.');
  const { values, files } = await readApplicationForm(form);
  const { origin, mailer, accounts } = appContext();
  const result = await accounts.submitApplication(
    { ...values, website: values.website.trim() === '' ? null : values.website },
    files,
    { address: event.getClientAddress(), origin, mailer },
  );
  if (!result.ok) return applicationError(result.code, result.message, result.fieldErrors);
  return json({ application: { id: result.value.id, status: result.value.status } }, { status: 201 });
};

/** Staff read the queue: pending first, oldest first. */
export const GET: RequestHandler = async ({ locals }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.applications.review')) return forbidden();
  const result = await appContext().accounts.listApplications({}, { actor });
  if (!result.ok) return applicationError(result.code, result.message);
  return json({ applications: result.value });
};
