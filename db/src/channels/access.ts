/**
 * Who may read, write and moderate a channel: the channel's kind and members, the person's role in its
 * space (from the spaces feature), and the capability table. Nothing else in the channels decides access.
 */
import { can, type Actor, type SpaceRole } from '@cope/domain';
import type { ChannelRecord } from './models.js';

/** A person's access to a space (the spaces feature's `spaceAccessOf`, bound to a connection). */
export interface SpaceAccessInfo {
  role: SpaceRole;
  archived: boolean;
}
export type SpaceAccessLookup = (userId: string, spaceId: string) => Promise<SpaceAccessInfo | null>;

export interface ChannelAccess {
  read: boolean;
  write: boolean;
  moderate: boolean;
  /** The space is archived: its channels are read-only. */
  archived: boolean;
}

export const NO_ACCESS: ChannelAccess = { read: false, write: false, moderate: false, archived: false };

/** Access given the person's space access (null: not in the space; ignored for other kinds). */
export function accessFromSpace(
  actor: Actor,
  channel: Pick<ChannelRecord, 'kind' | 'name' | 'private' | 'memberIds'>,
  space: SpaceAccessInfo | null,
): ChannelAccess {
  const isMember = () => channel.memberIds.some((id) => id.toHexString() === actor.userId);
  switch (channel.kind) {
    case 'space': {
      const resource = { spaceRole: space?.role ?? null };
      const read = can(actor, 'channel.read', resource) && (!channel.private || isMember());
      const archived = space?.archived ?? false;
      return {
        read,
        write: read && !archived && can(actor, 'channel.write', resource),
        moderate: !archived && can(actor, 'channel.moderate', resource),
        archived,
      };
    }
    case 'network': {
      const announcements = channel.name === 'announcements';
      const read = can(actor, announcements ? 'announcements.read' : 'channel.network.read');
      return {
        read,
        write: read && can(actor, announcements ? 'announcements.post' : 'channel.network.write'),
        moderate: can(actor, 'channel.network.moderate'),
        archived: false,
      };
    }
    case 'direct': {
      const read = isMember() && can(actor, 'channel.direct.write');
      return { read, write: read, moderate: false, archived: false };
    }
  }
}

/** Looks up the space access a channel needs (none for network channels and direct conversations). */
export async function channelAccessOf(
  lookup: SpaceAccessLookup,
  actor: Actor,
  channel: Pick<ChannelRecord, 'kind' | 'name' | 'private' | 'memberIds' | 'spaceId'>,
): Promise<ChannelAccess> {
  if (actor.disabled) return NO_ACCESS;
  const space =
    channel.kind === 'space' && channel.spaceId
      ? await lookup(actor.userId, channel.spaceId.toHexString())
      : null;
  return accessFromSpace(actor, channel, space);
}
