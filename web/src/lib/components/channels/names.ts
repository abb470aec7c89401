/** How channels and errors read on screen. */
import type { Channel, ChannelError } from '@cope/domain';
import type { Translate } from '$lib/i18n';
import type { Mentionable } from './types';

/** `#general` for a space's channel, the network channels by their translated name, a conversation by its people. */
export function channelLabel(
  channel: Pick<Channel, 'kind' | 'name' | 'memberIds'>,
  t: Translate,
  people: readonly Mentionable[],
  me: string,
): string {
  if (channel.kind === 'space') return `#${channel.name}`;
  if (channel.kind === 'network') {
    return channel.name === 'announcements' ? t('channels.name.announcements') : t('channels.name.network');
  }
  return t('channels.direct.name', { names: directNames(channel.memberIds, people, me, t) });
}

export function directNames(
  memberIds: readonly string[],
  people: readonly Mentionable[],
  me: string,
  t: Translate,
) {
  return memberIds
    .filter((id) => id !== me)
    .map((id) => people.find((p) => p.kind === 'person' && p.id === id)?.name ?? t('channels.direct.someone'))
    .join(', ');
}

export function channelTopic(channel: Pick<Channel, 'kind' | 'name' | 'topic'>, t: Translate): string {
  if (channel.topic !== '') return channel.topic;
  if (channel.kind === 'network') {
    return channel.name === 'announcements' ? t('channels.topic.announcements') : t('channels.topic.network');
  }
  return '';
}

export function errorText(error: ChannelError, t: Translate): string {
  switch (error.code) {
    case 'invalid':
      return t('channels.error.invalid', { detail: error.message });
    case 'rate_limited':
    case 'too_long':
    case 'forbidden':
    case 'not_found':
    case 'archived':
    case 'unauthenticated':
    case 'conflict':
    case 'internal':
      return t(`channels.error.${error.code}`);
  }
}
