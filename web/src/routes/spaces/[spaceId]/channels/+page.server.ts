import { redirect } from '@sveltejs/kit';
import { GENERAL_CHANNEL } from '@cope/domain';
import { requireSpacesPerson } from '$lib/components/spaces/server/access';
import { channelNotFound, spaceChannels } from '$lib/components/channels/server/load';
import type { PageServerLoad } from './$types';

/** A space's channels open on its `general` channel (created the first time they are listed). */
export const load: PageServerLoad = async (event) => {
  const { actor } = requireSpacesPerson(event);
  const channels = await spaceChannels(actor, event.params.spaceId);
  const general = channels.find((c) => c.name === GENERAL_CHANNEL) ?? channels[0];
  if (!general) channelNotFound();
  redirect(303, `/spaces/${event.params.spaceId}/channels/${general.id}`);
};
