import { json } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { invitationError } from '$lib/server/invitation-errors';
import type { RequestHandler } from './$types';

/** Staff revoke a pending invitation: its link stops working at once. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.invitations.manage')) return forbidden();
  const result = await appContext().accounts.revokeInvitation(params.id, { actor });
  if (!result.ok) {
    // A malformed id names no invitation.
    const code = result.code === 'invalidInput' ? 'notFound' : result.code;
    return invitationError(code, result.message);
  }
  return json({ invitation: result.value });
};
