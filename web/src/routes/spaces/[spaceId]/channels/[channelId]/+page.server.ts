import { fail, redirect } from '@sveltejs/kit';
import { can, createChannelSchema, describeIssues } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requireSpacesPerson } from '$lib/components/spaces/server/access';
import { channelNotFound, spaceChannels, spaceMentionables } from '$lib/components/channels/server/load';
import type { Actions, PageServerLoad } from './$types';

/** A channel of the space, beside the space's other channels; its members may create more. */
export const load: PageServerLoad = async (event) => {
  const { user, actor } = requireSpacesPerson(event);
  const { spaceId, channelId } = event.params;
  const [channels, people, parent] = await Promise.all([
    spaceChannels(actor, spaceId),
    spaceMentionables(actor, spaceId),
    event.parent(),
  ]);
  if (!channels.some((c) => c.id === channelId)) channelNotFound();
  const space = parent.space;
  return {
    me: { id: user.id, name: user.name },
    channelId,
    channels,
    people,
    canCreate: !space.archived && can(actor, 'channel.create', { spaceRole: space.role }),
  };
};

export const actions: Actions = {
  create: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await event.request.formData();
    const text = (key: string) => {
      const value = form.get(key);
      return typeof value === 'string' ? value : '';
    };
    const name = text('name');
    const values = { name, topic: text('topic'), private: form.get('private') === 'on' };
    const parsed = createChannelSchema.safeParse({
      spaceId: event.params.spaceId,
      name,
      topic: values.topic,
      private: values.private,
      memberIds: form.getAll('memberIds').map(String),
    });
    if (!parsed.success) {
      return fail(422, { create: { ...values, code: 'invalid', detail: describeIssues(parsed.error) } });
    }
    const result = await appContext().channels.createChannel(actor, parsed.data);
    if (!result.ok) {
      if (result.error.code === 'not_found') channelNotFound();
      return fail(result.error.code === 'forbidden' ? 403 : 409, {
        create: { ...values, code: result.error.code, detail: result.error.message },
      });
    }
    redirect(303, `/spaces/${event.params.spaceId}/channels/${result.value.id}`);
  },
};
