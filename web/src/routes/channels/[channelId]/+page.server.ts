import { fail, redirect } from '@sveltejs/kit';
import { can, describeIssues, openDirectSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import {
  channelNotFound,
  networkChannels,
  networkMentionables,
  requireChannelsPerson,
} from '$lib/components/channels/server/load';
import type { Actions, PageServerLoad } from './$types';

/** A network channel or a direct conversation, beside the others; members and staff start conversations. */
export const load: PageServerLoad = async (event) => {
  const { user, actor } = requireChannelsPerson(event);
  const { channelId } = event.params;
  const [channels, people] = await Promise.all([
    networkChannels(actor),
    networkMentionables(actor, event.locals.locale),
  ]);
  if (!channels.some((c) => c.id === channelId)) channelNotFound();
  return {
    me: { id: user.id, name: user.name },
    channelId,
    channels,
    people,
    canStartDirect: can(actor, 'channel.direct.write'),
  };
};

export const actions: Actions = {
  direct: async (event) => {
    const { actor } = requireChannelsPerson(event);
    const form = await event.request.formData();
    const userIds = form.getAll('userIds').map(String);
    if (userIds.length === 0) return fail(422, { direct: { code: 'nobody', detail: '' } });
    const parsed = openDirectSchema.safeParse({ userIds });
    if (!parsed.success)
      return fail(422, { direct: { code: 'invalid', detail: describeIssues(parsed.error) } });
    const result = await appContext().channels.openDirect(actor, parsed.data.userIds);
    if (!result.ok) {
      return fail(result.error.code === 'forbidden' ? 403 : 422, {
        direct: { code: result.error.code, detail: result.error.message },
      });
    }
    redirect(303, `/channels/${result.value.id}`);
  },
};
