import { error, fail } from '@sveltejs/kit';
import { NETWORK_ROLES } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'admin.members.manage');
  const person = await appContext().staff.getPerson(event.params.id);
  if (person === null) error(404, 'Not found');
  return { person, roles: NETWORK_ROLES, self: person.id === user.id };
};

/**
 * Staff change other people only: disabling oneself or giving up one's own staff role would lock the last
 * staff member out of this area.
 */
function staffActing(event: RequestEvent) {
  const user = requirePage(event, 'admin.members.manage');
  return { user, self: event.params.id === user.id };
}

export const actions: Actions = {
  role: async (event) => {
    const { user, self } = staffActing(event);
    if (self) return fail(409, { refused: 'self' as const });
    const form = await event.request.formData().catch(() => new FormData());
    const result = await appContext().staff.setNetworkRole(event.params.id, formText(form, 'role'), {
      actorId: user.id,
    });
    if (!result.ok) return fail(result.code === 'notFound' ? 404 : 400, { refused: 'invalid' as const });
    return { roleChanged: result.value.to };
  },
  disable: async (event) => setDisabled(event, true),
  enable: async (event) => setDisabled(event, false),
};

async function setDisabled(event: RequestEvent, disabled: boolean) {
  const { user, self } = staffActing(event);
  if (self) return fail(409, { refused: 'self' as const });
  const result = await appContext().staff.setUserDisabled(event.params.id, disabled, { actorId: user.id });
  if (!result.ok) return fail(result.code === 'notFound' ? 404 : 400, { refused: 'invalid' as const });
  return disabled ? { disabledNow: true as const } : { enabledNow: true as const };
}
