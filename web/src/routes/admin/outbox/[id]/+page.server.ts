import { error } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.outbox.read');
  const message = await appContext().accounts.outbox.get(event.params.id);
  if (message === null) error(404, { message: 'Not Found', code: 'not_found' });
  // The HTML version is not shown (it would need sanitising); the text version says the same.
  const { html: _html, ...rest } = message;
  return { message: rest };
};
