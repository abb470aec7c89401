import { appContext } from '@cope/db/app-context';
import { requirePage } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;
const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** Newest first, a page at a time: `?before=<id>` starts after that message. */
export const load: PageServerLoad = async (event) => {
  requirePage(event, 'admin.outbox.read');
  const before = event.url.searchParams.get('before') ?? '';
  const start = OBJECT_ID.test(before) ? before : undefined;
  // One more than shown says whether an older page exists.
  const found = await appContext().accounts.outbox.list({
    limit: PAGE_SIZE + 1,
    ...(start === undefined ? {} : { before: start }),
  });
  const messages = found.slice(0, PAGE_SIZE);
  const last = messages[messages.length - 1];
  return {
    messages,
    older: found.length > PAGE_SIZE && last !== undefined ? `?before=${last.id}` : null,
    newest: start === undefined ? null : '?',
  };
};
