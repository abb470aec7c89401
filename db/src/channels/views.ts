/** Stored records to the contract's shapes (ids as hex strings, dates as ISO strings). */
import type { Channel, Message } from '@cope/domain';
import type { Types } from 'mongoose';
import type { ChannelRecord, MessageRecord } from './models.js';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const hex = (id: Types.ObjectId): string => id.toHexString();

/** `last`: the channel's newest message (see lastMessageOf), which the channel record does not hold. */
export function channelView(c: ChannelRecord, last: { seq: number; createdAt: Date } | null): Channel {
  return {
    id: hex(c._id),
    kind: c.kind,
    spaceId: c.spaceId ? hex(c.spaceId) : null,
    name: c.name,
    topic: c.topic,
    private: c.private,
    memberIds: c.memberIds.map(hex),
    lastSeq: last?.seq ?? 0,
    lastMessageAt: iso(last?.createdAt),
    createdAt: c.createdAt.toISOString(),
  };
}

export function messageView(m: MessageRecord): Message {
  return {
    id: hex(m._id),
    channelId: hex(m.channelId),
    seq: m.seq,
    clientId: m.clientId,
    authorId: hex(m.authorId),
    authorName: m.authorName,
    body: m.body ?? '',
    mentions: m.mentions.map((x) => ({ kind: x.kind, id: hex(x.id), name: x.name })),
    parentId: m.parentId ? hex(m.parentId) : null,
    replyCount: m.replyCount,
    lastReplyAt: iso(m.lastReplyAt),
    reactions: m.reactions.map((r) => ({ emoji: r.emoji, userIds: r.userIds.map(hex) })),
    createdAt: m.createdAt.toISOString(),
    editedAt: iso(m.editedAt),
    deletedAt: iso(m.deletedAt),
    deletedBy: m.deletedBy ? hex(m.deletedBy) : null,
  };
}
