import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { invitationError } from '$lib/server/invitation-errors';
import type { RequestHandler } from './$types';

/** Staff send a new link for a pending or expired invitation; the earlier links stop working. */
export const POST: RequestHandler = async ({ locals, params }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.invitations.manage')) return forbidden();
  const { origin, mailer, accounts } = appContext();
  const result = await accounts.resendInvitation(params.id, { actor, origin, mailer });
  if (!result.ok) {
    const code = result.code === 'invalidInput' ? 'notFound' : result.code;
    return invitationError(code, result.message);
  }
  return json({ invitation: result.value });
};
