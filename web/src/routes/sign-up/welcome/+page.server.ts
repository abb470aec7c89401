import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** What an affiliate sees once in: they receive the network's news (the news itself comes later). */
export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.user === null) redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname)}`);
  return { name: locals.user.name, affiliate: locals.user.networkRole === 'affiliate' };
};
