import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, readJsonBody, unauthenticated } from '$lib/server/api';
import { invitationRequestSchema } from '$lib/server/api-schemas';
import { actorOf } from '$lib/server/actor';
import { invitationError } from '$lib/server/invitation-errors';
import type { RequestHandler } from './$types';

/** Staff invite a person; the mail goes out (or to the outbox) before the answer. */
export const POST: RequestHandler = async ({ locals, request }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.invitations.manage')) return forbidden();
  const body = await readJsonBody(request, invitationRequestSchema);
  if (!body.ok) return body.response;
  const { origin, mailer, accounts } = appContext();
  const result = await accounts.inviteMember(body.value, { actor, origin, mailer });
  if (!result.ok) return invitationError(result.code, result.message);
  return json({ invitation: result.value }, { status: 201 });
};

/** Staff list invitations, newest first. */
export const GET: RequestHandler = async ({ locals }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.invitations.manage')) return forbidden();
  const result = await appContext().accounts.listInvitations({}, { actor });
  if (!result.ok) return invitationError(result.code, result.message);
  return json({ invitations: result.value });
};
