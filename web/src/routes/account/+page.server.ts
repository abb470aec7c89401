import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The account area has one page so far: the profile. */
export const load: PageServerLoad = () => {
  redirect(307, '/account/profile');
};
