import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.outbox.read');
  const messages = await appContext().accounts.outbox.list({ limit: 100 });
  return { messages };
};
