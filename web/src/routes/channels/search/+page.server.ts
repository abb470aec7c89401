import { searchQuerySchema, type SearchHit } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requireChannelsPerson } from '$lib/components/channels/server/load';
import type { PageServerLoad } from './$types';

/** Search in the messages of every channel one may read (or one space's), as a shareable GET form. */
export const load: PageServerLoad = async (event) => {
  const { actor } = requireChannelsPerson(event);
  const q = event.url.searchParams.get('q') ?? '';
  const spaceId = event.url.searchParams.get('spaceId') || undefined;
  if (q.trim() === '') return { q, spaceId, hits: null as SearchHit[] | null, invalid: false };
  const parsed = searchQuerySchema.safeParse({ q, spaceId });
  if (!parsed.success) return { q, spaceId, hits: null, invalid: true };
  const result = await appContext().channels.search(actor, parsed.data);
  return { q, spaceId, hits: result.ok ? result.value : [], invalid: !result.ok };
};
