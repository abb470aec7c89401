/**
 * The channels' collections: channels, messages and read positions. They live in a model set of their own
 * (`channelModels(conn)`), bound to a connection like the shared `models(conn)`.
 */
import { CHANNEL_KINDS, MENTION_KINDS, type ChannelKind, type MentionKind } from '@cope/domain';
import { Schema, type Connection, type Types } from 'mongoose';

export const channelSchema = new Schema(
  {
    kind: { type: String, required: true, enum: CHANNEL_KINDS },
    /**
     * What makes the channel unique: `space:<spaceId>:<name>`, `network:<name>` or
     * `direct:<sorted member ids>`. One unique index then keeps `general` lazily created once per space,
     * and one direct conversation per set of people, even when two requests race.
     */
    key: { type: String, required: true },
    spaceId: { type: Schema.Types.ObjectId, default: null },
    name: { type: String, default: '' },
    topic: { type: String, default: '' },
    private: { type: Boolean, required: true, default: false },
    memberIds: { type: [Schema.Types.ObjectId], default: [] },
    createdBy: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'channels', versionKey: false, strict: 'throw' },
);
channelSchema.index({ key: 1 }, { unique: true });
channelSchema.index({ spaceId: 1 });
// A person's direct conversations and private channels.
channelSchema.index({ memberIds: 1 });

const mentionSchema = new Schema(
  {
    kind: { type: String, required: true, enum: MENTION_KINDS },
    id: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
  },
  { _id: false },
);

const reactionSchema = new Schema(
  {
    emoji: { type: String, required: true },
    userIds: { type: [Schema.Types.ObjectId], default: [] },
  },
  { _id: false },
);

export const messageSchema = new Schema(
  {
    channelId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    /**
     * `<channelId>:<seq, 12 digits>`: one string that sorts by channel, then order. Its index answers
     * history pages and unread counts with one range scan, on MongoDB and on the embedded server alike
     * (whose planner narrows a scan by a range on an index's leading field).
     */
    pos: { type: String, required: true },
    /** `<authorId>:<clientId>`: unique, so a retried send finds the stored message instead of adding one. */
    clientKey: { type: String, required: true },
    clientId: { type: String, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
    /** The Markdown source; rendering is the client's, with the shared safe renderer. */
    body: { type: String, default: '' },
    /** Search terms (domain searchTermsOf): an indexed array, as the embedded server has no $text. */
    terms: { type: [String], default: [] },
    mentions: { type: [mentionSchema], default: [] },
    parentId: { type: Schema.Types.ObjectId, default: null },
    replyCount: { type: Number, required: true, default: 0 },
    lastReplyAt: { type: Date, default: null },
    reactions: { type: [reactionSchema], default: [] },
    /** Bumped by every change of reactions: they are rewritten whole, guarded by this revision. */
    rev: { type: Number, required: true, default: 0 },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    deletedAt: { type: Date, default: null },
    deletedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { collection: 'channel_messages', versionKey: false, strict: 'throw' },
);
messageSchema.index({ pos: 1 }, { unique: true });
messageSchema.index({ clientKey: 1 }, { unique: true });
messageSchema.index({ parentId: 1, seq: 1 });
messageSchema.index({ terms: 1 });

export const readPositionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    channelId: { type: Schema.Types.ObjectId, required: true },
    readSeq: { type: Number, required: true, default: 0 },
    updatedAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'channel_read_positions', versionKey: false, strict: 'throw' },
);
readPositionSchema.index({ userId: 1, channelId: 1 }, { unique: true });

/** A stored channel, as `.lean()` returns it. */
export interface ChannelRecord {
  _id: Types.ObjectId;
  kind: ChannelKind;
  key: string;
  spaceId: Types.ObjectId | null;
  name: string;
  topic: string;
  private: boolean;
  memberIds: Types.ObjectId[];
  createdBy: Types.ObjectId | null;
  createdAt: Date;
}

/** A stored message, as `.lean()` returns it. */
export interface MessageRecord {
  _id: Types.ObjectId;
  channelId: Types.ObjectId;
  seq: number;
  pos: string;
  clientKey: string;
  clientId: string;
  authorId: Types.ObjectId;
  authorName: string;
  body: string;
  terms: string[];
  mentions: { kind: MentionKind; id: Types.ObjectId; name: string }[];
  parentId: Types.ObjectId | null;
  replyCount: number;
  lastReplyAt: Date | null;
  reactions: { emoji: string; userIds: Types.ObjectId[] }[];
  rev: number;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  deletedBy: Types.ObjectId | null;
}

function createChannelModels(conn: Connection) {
  return {
    Channel: conn.model('Channel', channelSchema),
    Message: conn.model('ChannelMessage', messageSchema),
    ReadPosition: conn.model('ChannelReadPosition', readPositionSchema),
  };
}

export type ChannelModels = ReturnType<typeof createChannelModels>;
const byConnection = new WeakMap<Connection, ChannelModels>();

export function channelModels(conn: Connection): ChannelModels {
  let m = byConnection.get(conn);
  if (m === undefined) {
    m = createChannelModels(conn);
    byConnection.set(conn, m);
  }
  return m;
}

export async function ensureChannelIndexes(conn: Connection): Promise<void> {
  for (const model of Object.values(channelModels(conn))) await model.createIndexes();
}

/** The `pos` of a sequence number in a channel (12 digits: a trillion messages per channel). */
export function posOf(channelId: string, seq: number): string {
  return `${channelId}:${String(seq).padStart(12, '0')}`;
}

/** Sequence numbers stop below this (the 12 digits of `pos`). */
export const LAST_POS_SEQ = 999_999_999_999;

/**
 * The channel's newest message (thread replies included: they share the sequence), read through the `pos`
 * index: a channel stores no counter, so sending needs no write to the channel itself.
 */
export async function lastMessageOf(
  conn: Connection,
  channelId: string,
): Promise<{ seq: number; createdAt: Date } | null> {
  return channelModels(conn)
    .Message.findOne(
      { pos: { $gt: posOf(channelId, 0), $lt: posOf(channelId, LAST_POS_SEQ) } },
      { seq: 1, createdAt: 1 },
    )
    .sort({ pos: -1 })
    .lean<{ seq: number; createdAt: Date }>();
}
