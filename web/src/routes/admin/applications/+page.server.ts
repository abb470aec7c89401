import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

/** The queue: pending first, oldest first. */
export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'admin.applications.review');
  const listed = await appContext().accounts.listApplications({}, { actor: actorOf(user) });
  return {
    applications: listed.ok
      ? listed.value.map((a) => ({
          id: a.id,
          organisationName: a.organisationName,
          country: a.country,
          status: a.status,
          createdAt: a.createdAt,
        }))
      : [],
  };
};
