import { can } from '@cope/domain';
import { actorOf } from '$lib/server/actor';
import type { LayoutServerLoad } from './$types';

/** Every page gets the language, the reader's time zone and who is signed in (only what pages show, never the session). */
export const load: LayoutServerLoad = ({ locals }) => {
  const user = locals.user;
  return {
    locale: locals.locale,
    timeZone: locals.timeZone,
    user: user === null ? null : { name: user.name, email: user.email, networkRole: user.networkRole },
    staffArea: can(actorOf(user), 'admin.outbox.read'),
    directory: can(actorOf(user), 'directory.read'),
  };
};
