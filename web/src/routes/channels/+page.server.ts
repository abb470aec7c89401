import { redirect } from '@sveltejs/kit';
import { networkChannels, requireChannelsPerson } from '$lib/components/channels/server/load';
import type { PageServerLoad } from './$types';

/** The network's channels open on `network` (everyone writes there), else the first one listed. */
export const load: PageServerLoad = async (event) => {
  const { actor } = requireChannelsPerson(event);
  const channels = await networkChannels(actor);
  const first = channels.find((c) => c.kind === 'network' && c.name === 'network') ?? channels[0];
  if (!first) redirect(303, '/');
  redirect(303, `/channels/${first.id}`);
};
