import { error } from '@sveltejs/kit';
import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'directory.read');
  const actor = actorOf(user);
  const result = await appContext().directory.getPersonProfile(event.params.id, {
    actor,
    locale: event.locals.locale,
  });
  if (!result.ok) {
    if (result.code === 'forbidden') error(403, { message: 'Forbidden', code: 'forbidden' });
    error(404, { message: 'Not Found', code: 'not_found' });
  }
  return {
    person: result.value,
    contactsAllowed: can(actor, 'directory.contacts.read'),
    isSelf: result.value.id === user.id,
  };
};
