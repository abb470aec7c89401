/**
 * The channel services: listing, creating and opening channels, history pages, search, read positions,
 * edits, deletions and reactions. Every call names its actor and goes through `channelAccessOf` (and so
 * `can()`); sending goes through the `MessageWriter` (group commit).
 */
import {
  CHANNEL_LIMITS,
  GENERAL_CHANNEL,
  NETWORK_CHANNELS,
  can,
  extractMentions,
  searchTermsOf,
  type Actor,
  type Channel,
  type ChannelSummary,
  type CreateChannelInput,
  type HistoryPage,
  type HistoryQuery,
  type Mention,
  type Message,
  type SearchHit,
  type SearchQuery,
} from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { models } from '../models/index.js';
import { isDuplicateKeyError } from '../mongo-errors.js';
import { channelAccessOf, type ChannelAccess, type SpaceAccessLookup } from './access.js';
import {
  channelModels,
  lastMessageOf,
  LAST_POS_SEQ,
  posOf,
  type ChannelRecord,
  type MessageRecord,
} from './models.js';
import { ok, refuse, type ChannelResult } from './result.js';
import { channelView, messageView } from './views.js';
import type { NewMessage } from './writer.js';

/** A channel and what the actor may do in it, resolved once and reused (e.g. cached per socket). */
export interface ChannelContext {
  channel: ChannelRecord;
  access: ChannelAccess;
}

export type ContextResolver = (actor: Actor, channelId: string) => Promise<ChannelContext | null>;

/** Unread counts stop here: a badge shows "999+" and the count stays one bounded index scan. */
export const UNREAD_CAP = 999;

const OBJECT_ID = /^[0-9a-f]{24}$/;
const oid = (id: string) => new Types.ObjectId(id);

export class ChannelService {
  constructor(
    readonly conn: Connection,
    readonly spaceAccess: SpaceAccessLookup,
  ) {}

  private get m() {
    return channelModels(this.conn);
  }

  /** Creates `announcements` and `network` if missing (at start-up; idempotent). */
  async ensureNetworkChannels(): Promise<void> {
    for (const name of NETWORK_CHANNELS) {
      await this.upsertChannel(`network:${name}`, { kind: 'network', name });
    }
  }

  /** The space's `general` channel, created the first time it is needed. */
  async ensureGeneral(spaceId: string): Promise<ChannelRecord> {
    return this.upsertChannel(`space:${spaceId}:${GENERAL_CHANNEL}`, {
      kind: 'space',
      spaceId: oid(spaceId),
      name: GENERAL_CHANNEL,
    });
  }

  private async upsertChannel(key: string, fields: Partial<ChannelRecord>): Promise<ChannelRecord> {
    const { Channel } = this.m;
    const found = await Channel.findOne({ key }).lean<ChannelRecord>();
    if (found) return found;
    try {
      await Channel.create({ key, ...fields });
    } catch (error) {
      // Two first visits at once: the unique key keeps one; read it.
      if (!isDuplicateKeyError(error)) throw error;
    }
    const created = await Channel.findOne({ key }).lean<ChannelRecord>();
    if (!created) throw new Error(`channel ${key} vanished`);
    return created;
  }

  async channelById(channelId: string): Promise<ChannelRecord | null> {
    if (!OBJECT_ID.test(channelId)) return null;
    return this.m.Channel.findById(oid(channelId)).lean<ChannelRecord>();
  }

  /** The channel and the actor's access to it; null when it does not exist. */
  resolve: ContextResolver = async (actor, channelId) => {
    const channel = await this.channelById(channelId);
    if (channel === null) return null;
    return { channel, access: await channelAccessOf(this.spaceAccess, actor, channel) };
  };

  /** The context when the actor may read the channel; a refusal that does not reveal it otherwise. */
  async readable(
    actor: Actor,
    channelId: string,
    resolve = this.resolve,
  ): Promise<ChannelResult<ChannelContext>> {
    const context = await resolve(actor, channelId);
    if (context === null || !context.access.read) return refuse('not_found', 'no such channel');
    return ok(context);
  }

  // ── Channel lists ──────────────────────────────────────────────────────────

  async listSpaceChannels(actor: Actor, spaceId: string): Promise<ChannelResult<ChannelSummary[]>> {
    if (!OBJECT_ID.test(spaceId)) return refuse('not_found', 'no such space');
    const space = await this.spaceAccess(actor.userId, spaceId);
    if (space === null) return refuse('not_found', 'no such space');
    await this.ensureGeneral(spaceId);
    const channels = await this.m.Channel.find({ spaceId: oid(spaceId) }).lean<ChannelRecord[]>();
    return ok(await this.summaries(actor, channels));
  }

  /** The network channels the actor may read, and their direct conversations. */
  async listNetworkChannels(actor: Actor): Promise<ChannelResult<ChannelSummary[]>> {
    const { Channel } = this.m;
    const network = await Channel.find({ kind: 'network' }).lean<ChannelRecord[]>();
    const direct = OBJECT_ID.test(actor.userId)
      ? await Channel.find({ memberIds: oid(actor.userId), kind: 'direct' }).lean<ChannelRecord[]>()
      : [];
    return ok(await this.summaries(actor, [...network, ...direct]));
  }

  private async summaries(actor: Actor, channels: ChannelRecord[]): Promise<ChannelSummary[]> {
    const out: ChannelSummary[] = [];
    const reads = await this.readPositions(
      actor.userId,
      channels.map((c) => c._id),
    );
    for (const channel of channels) {
      const access = await channelAccessOf(this.spaceAccess, actor, channel);
      if (!access.read) continue;
      out.push(await this.summaryOf(actor, { channel, access }, reads.get(channel._id.toHexString()) ?? 0));
    }
    // General first, then by name; direct conversations by latest activity.
    return out.sort((a, b) =>
      a.kind !== b.kind
        ? a.kind.localeCompare(b.kind)
        : a.kind === 'direct'
          ? (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? '')
          : Number(b.name === GENERAL_CHANNEL) - Number(a.name === GENERAL_CHANNEL) ||
            a.name.localeCompare(b.name),
    );
  }

  async summaryOf(
    actor: Actor,
    { channel, access }: ChannelContext,
    readSeq?: number,
  ): Promise<ChannelSummary> {
    const seq = readSeq ?? (await this.readSeqOf(actor.userId, channel._id.toHexString()));
    return {
      ...channelView(channel, await lastMessageOf(this.conn, channel._id.toHexString())),
      readSeq: seq,
      unread: await this.unreadCount(actor.userId, channel._id.toHexString(), seq),
      canWrite: access.write,
      canModerate: access.moderate,
    };
  }

  // ── Creating ───────────────────────────────────────────────────────────────

  async createChannel(actor: Actor, input: CreateChannelInput): Promise<ChannelResult<ChannelSummary>> {
    const space = await this.spaceAccess(actor.userId, input.spaceId);
    if (space === null) return refuse('not_found', 'no such space');
    if (!can(actor, 'channel.create', { spaceRole: space.role })) {
      return refuse('forbidden', 'you may not create channels in this space');
    }
    if (space.archived) return refuse('archived', 'the space is archived');
    const memberIds = new Set(input.private ? [...input.memberIds, actor.userId] : []);
    for (const id of memberIds) {
      if (id !== actor.userId && (await this.spaceAccess(id, input.spaceId)) === null) {
        return refuse('invalid', `memberIds: ${id} is not a member of the space`);
      }
    }
    await this.ensureGeneral(input.spaceId);
    try {
      const created = await this.m.Channel.create({
        kind: 'space',
        key: `space:${input.spaceId}:${input.name}`,
        spaceId: oid(input.spaceId),
        name: input.name,
        topic: input.topic,
        private: input.private,
        memberIds: [...memberIds].map(oid),
        createdBy: oid(actor.userId),
      });
      const channel = created.toObject() as ChannelRecord;
      const access = await channelAccessOf(this.spaceAccess, actor, channel);
      return ok(await this.summaryOf(actor, { channel, access }, 0));
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        return refuse('conflict', `a channel named ${input.name} already exists in this space`);
      }
      throw error;
    }
  }

  /** The direct conversation of the actor and `userIds` (the same people always get the same one). */
  async openDirect(actor: Actor, userIds: string[]): Promise<ChannelResult<ChannelSummary>> {
    if (!can(actor, 'channel.direct.write')) return refuse('forbidden', 'you may not start conversations');
    const ids = [...new Set([...userIds, actor.userId])].sort();
    if (ids.length < 2) return refuse('invalid', 'userIds: name at least one other person');
    if (ids.length > CHANNEL_LIMITS.directMaxMembers) return refuse('invalid', 'userIds: too many people');
    const people = await models(this.conn)
      .User.find({ _id: { $in: ids.map(oid) } }, { networkRole: 1, disabled: 1 })
      .lean();
    const reachable = people.filter((p) => !p.disabled && p.networkRole !== 'affiliate');
    if (reachable.length !== ids.length) return refuse('not_found', 'userIds: no such member');
    const channel = await this.upsertChannel(`direct:${ids.join(',')}`, {
      kind: 'direct',
      private: true,
      memberIds: ids.map(oid),
      createdBy: oid(actor.userId),
    });
    const access = await channelAccessOf(this.spaceAccess, actor, channel);
    return ok(await this.summaryOf(actor, { channel, access }));
  }

  // ── Reading ────────────────────────────────────────────────────────────────

  async history(
    actor: Actor,
    query: HistoryQuery,
    resolve = this.resolve,
  ): Promise<ChannelResult<HistoryPage>> {
    const found = await this.readable(actor, query.channelId, resolve);
    if (!found.ok) return found;
    const channelId = query.channelId;
    const { Message } = this.m;
    if (query.parentId !== undefined) return ok(await this.threadPage(channelId, query));

    const range = (lower: number, upper: number) => ({
      pos: { $gt: posOf(channelId, lower), $lt: posOf(channelId, upper) },
      parentId: null,
    });
    let after = query.after;
    if (query.firstUnread) {
      const readSeq = await this.readSeqOf(actor.userId, channelId);
      const unread = await Message.findOne(range(readSeq, LAST_POS_SEQ)).sort({ pos: 1 }).lean();
      // Nothing unread: the newest page.
      if (unread) after = readSeq;
    }
    if (after !== undefined) {
      const rows = await Message.find(range(after, LAST_POS_SEQ))
        .sort({ pos: 1 })
        .limit(query.limit + 1)
        .lean<MessageRecord[]>();
      const page = rows.slice(0, query.limit);
      const first = page[0]?.seq ?? after + 1;
      const older = await Message.findOne(range(0, first)).sort({ pos: -1 }).lean();
      return ok({
        messages: page.map(messageView),
        hasOlder: older !== null,
        hasNewer: rows.length > query.limit,
      });
    }
    const rows = await Message.find(range(0, query.before ?? LAST_POS_SEQ))
      .sort({ pos: -1 })
      .limit(query.limit + 1)
      .lean<MessageRecord[]>();
    const page = rows.slice(0, query.limit).reverse();
    const last = page.at(-1)?.seq;
    const newer =
      query.before !== undefined && last !== undefined
        ? await Message.findOne(range(last, LAST_POS_SEQ)).sort({ pos: 1 }).lean()
        : null;
    return ok({
      messages: page.map(messageView),
      hasOlder: rows.length > query.limit,
      hasNewer: newer !== null,
    });
  }

  private async threadPage(channelId: string, query: HistoryQuery): Promise<HistoryPage> {
    const { Message } = this.m;
    const parentId = oid(query.parentId ?? '');
    const parent = await Message.findById(parentId, { channelId: 1 }).lean();
    if (parent === null || parent.channelId.toHexString() !== channelId) {
      return { messages: [], hasOlder: false, hasNewer: false };
    }
    const seq: Record<string, number> = {};
    if (query.before !== undefined) seq.$lt = query.before;
    if (query.after !== undefined) seq.$gt = query.after;
    const filter = Object.keys(seq).length > 0 ? { parentId, seq } : { parentId };
    const ascending = query.after !== undefined;
    const rows = await Message.find(filter)
      .sort({ seq: ascending ? 1 : -1 })
      .limit(query.limit + 1)
      .lean<MessageRecord[]>();
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit);
    if (!ascending) page.reverse();
    return {
      messages: page.map(messageView),
      hasOlder: ascending ? query.after !== undefined && query.after > 0 : more,
      hasNewer: ascending ? more : query.before !== undefined,
    };
  }

  /** Messages with every word of the query, newest first, in the channels the actor may read. */
  async search(actor: Actor, query: SearchQuery): Promise<ChannelResult<SearchHit[]>> {
    const terms = searchTermsOf(query.q);
    const first = terms[0];
    if (first === undefined) return ok([]);
    const filter: Record<string, unknown> = { terms: first, deletedAt: null };
    if (terms.length > 1) filter.$and = [{ terms: { $all: terms } }];
    if (query.channelId !== undefined) filter.channelId = oid(query.channelId);
    else if (query.spaceId !== undefined) {
      const ids = await this.m.Channel.find({ spaceId: oid(query.spaceId) }, { _id: 1 }).lean();
      filter.channelId = { $in: ids.map((c) => c._id) };
    }
    // The word index gives the candidates; access is then decided per channel, once each.
    const candidates = await this.m.Message.find(filter)
      .sort({ createdAt: -1 })
      .limit(2000)
      .lean<MessageRecord[]>();
    const channels = new Map<string, Channel | null>();
    const hits: SearchHit[] = [];
    for (const m of candidates) {
      const channelId = m.channelId.toHexString();
      if (!channels.has(channelId)) {
        const context = await this.resolve(actor, channelId);
        channels.set(
          channelId,
          context?.access.read
            ? channelView(context.channel, await lastMessageOf(this.conn, channelId))
            : null,
        );
      }
      const channel = channels.get(channelId);
      if (!channel) continue;
      hits.push({ message: messageView(m), channel });
      if (hits.length >= query.limit) break;
    }
    return ok(hits);
  }

  // ── Read positions ─────────────────────────────────────────────────────────

  async readSeqOf(userId: string, channelId: string): Promise<number> {
    const row = await this.m.ReadPosition.findOne({ userId: oid(userId), channelId: oid(channelId) }).lean();
    return row?.readSeq ?? 0;
  }

  private async readPositions(userId: string, channelIds: Types.ObjectId[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!OBJECT_ID.test(userId) || channelIds.length === 0) return out;
    const rows = await this.m.ReadPosition.find({
      userId: oid(userId),
      channelId: { $in: channelIds },
    }).lean();
    for (const r of rows) out.set(r.channelId.toHexString(), r.readSeq);
    return out;
  }

  /** Top-level messages by others after `readSeq` (capped at UNREAD_CAP), deleted ones left out. */
  async unreadCount(userId: string, channelId: string, readSeq: number): Promise<number> {
    return this.m.Message.countDocuments(
      {
        pos: { $gt: posOf(channelId, readSeq), $lt: posOf(channelId, LAST_POS_SEQ) },
        parentId: null,
        deletedAt: null,
        authorId: { $ne: oid(userId) },
      },
      { limit: UNREAD_CAP },
    );
  }

  /**
   * Moves the read position forward to `seq` (never back, never past the channel's last message); returns
   * the position and the unread count after it.
   */
  async markRead(
    actor: Actor,
    channelId: string,
    seq: number,
    resolve = this.resolve,
  ): Promise<ChannelResult<{ readSeq: number; unread: number }>> {
    const found = await this.readable(actor, channelId, resolve);
    if (!found.ok) return found;
    const last = await lastMessageOf(this.conn, channelId);
    const target = Math.min(seq, last?.seq ?? 0);
    const readSeq = await this.advanceReadPosition(actor.userId, channelId, target);
    return ok({ readSeq, unread: await this.unreadCount(actor.userId, channelId, readSeq) });
  }

  /** `$max` keeps the furthest position when two tabs mark at once. */
  async advanceReadPosition(userId: string, channelId: string, seq: number): Promise<number> {
    const row = await this.m.ReadPosition.findOneAndUpdate(
      { userId: oid(userId), channelId: oid(channelId) },
      { $max: { readSeq: seq }, $set: { updatedAt: new Date() } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    return row?.readSeq ?? seq;
  }

  // ── Writing ────────────────────────────────────────────────────────────────

  /**
   * Checks a new message against the channel and resolves its mentions: the writer's input, or a refusal.
   * `authorName` is the name shown with it (kept as it was when sent).
   */
  async prepareMessage(
    actor: Actor & { name: string },
    context: ChannelContext,
    payload: { clientId: string; body: string; parentId?: string | null | undefined },
  ): Promise<ChannelResult<NewMessage>> {
    if (!context.access.read) return refuse('not_found', 'no such channel');
    if (!context.access.write) {
      return context.access.archived
        ? refuse('archived', 'the space is archived: its channels are read-only')
        : refuse('forbidden', 'you may not write in this channel');
    }
    const channelId = context.channel._id.toHexString();
    const parentId = payload.parentId ?? null;
    if (parentId !== null) {
      const parent = await this.m.Message.findById(oid(parentId), { channelId: 1, parentId: 1 }).lean();
      if (parent === null || parent.channelId.toHexString() !== channelId) {
        return refuse('not_found', 'parentId: no such message in this channel');
      }
      // Threads are one level deep: a reply to a reply joins the same thread.
      if (parent.parentId) return refuse('invalid', 'parentId: reply to the first message of the thread');
    }
    return ok({
      channelId,
      authorId: actor.userId,
      authorName: actor.name,
      clientId: payload.clientId,
      body: payload.body,
      parentId,
      mentions: await this.resolveMentions(payload.body),
    });
  }

  /** The mentioned people and organisations that exist, with their current names. */
  async resolveMentions(body: string): Promise<Mention[]> {
    const tokens = extractMentions(body).slice(0, CHANNEL_LIMITS.mentionsMax);
    if (tokens.length === 0) return [];
    const { User, Organisation } = models(this.conn);
    const personIds = tokens.filter((t) => t.kind === 'person').map((t) => oid(t.id));
    const orgIds = tokens.filter((t) => t.kind === 'organisation').map((t) => oid(t.id));
    const names = new Map<string, string>();
    if (personIds.length > 0) {
      for (const u of await User.find({ _id: { $in: personIds } }, { name: 1 }).lean()) {
        names.set(`person:${u._id.toHexString()}`, u.name);
      }
    }
    if (orgIds.length > 0) {
      for (const o of await Organisation.find({ _id: { $in: orgIds } }, { name: 1 }).lean()) {
        names.set(`organisation:${o._id.toHexString()}`, o.name);
      }
    }
    return tokens.flatMap((t) => {
      const name = names.get(`${t.kind}:${t.id}`);
      return name === undefined ? [] : [{ kind: t.kind, id: t.id, name }];
    });
  }

  private async messageInContext(
    actor: Actor,
    messageId: string,
    resolve: ContextResolver,
  ): Promise<ChannelResult<{ message: MessageRecord; context: ChannelContext }>> {
    if (!OBJECT_ID.test(messageId)) return refuse('not_found', 'no such message');
    const message = await this.m.Message.findById(oid(messageId)).lean<MessageRecord>();
    if (message === null) return refuse('not_found', 'no such message');
    const context = await resolve(actor, message.channelId.toHexString());
    if (context === null || !context.access.read) return refuse('not_found', 'no such message');
    return ok({ message, context });
  }

  /** The author edits their message (marked edited); search terms and mentions follow the new text. */
  async editMessage(
    actor: Actor,
    messageId: string,
    body: string,
    resolve = this.resolve,
  ): Promise<ChannelResult<Message>> {
    const found = await this.messageInContext(actor, messageId, resolve);
    if (!found.ok) return found;
    const { message, context } = found.value;
    if (message.authorId.toHexString() !== actor.userId)
      return refuse('forbidden', 'only the author edits a message');
    if (message.deletedAt) return refuse('not_found', 'the message was deleted');
    if (!context.access.write) {
      return refuse(context.access.archived ? 'archived' : 'forbidden', 'you may not write in this channel');
    }
    const mentions = (await this.resolveMentions(body)).map((m) => ({ ...m, id: oid(m.id) }));
    const updated = await this.m.Message.findOneAndUpdate(
      { _id: message._id, deletedAt: null },
      { $set: { body, terms: searchTermsOf(body), mentions, editedAt: new Date() } },
      { returnDocument: 'after' },
    ).lean<MessageRecord>();
    if (updated === null) return refuse('not_found', 'the message was deleted');
    return ok(messageView(updated));
  }

  /**
   * The author, or a moderator of the channel (space owners, staff), deletes a message: it stays as a
   * tombstone (no text, mentions or reactions) so its place in the order and its thread remain.
   */
  async deleteMessage(
    actor: Actor,
    messageId: string,
    resolve = this.resolve,
  ): Promise<ChannelResult<Message>> {
    const found = await this.messageInContext(actor, messageId, resolve);
    if (!found.ok) return found;
    const { message, context } = found.value;
    const isAuthor = message.authorId.toHexString() === actor.userId;
    if (!isAuthor && !context.access.moderate) return refuse('forbidden', 'you may not delete this message');
    if (isAuthor && !context.access.moderate && !context.access.write) {
      return refuse(context.access.archived ? 'archived' : 'forbidden', 'you may not write in this channel');
    }
    if (message.deletedAt) return ok(messageView(message));
    const updated = await this.m.Message.findOneAndUpdate(
      { _id: message._id },
      {
        $set: {
          body: '',
          terms: [],
          mentions: [],
          reactions: [],
          deletedAt: new Date(),
          deletedBy: oid(actor.userId),
        },
        $inc: { rev: 1 },
      },
      { returnDocument: 'after' },
    ).lean<MessageRecord>();
    if (updated === null) return refuse('not_found', 'no such message');
    return ok(messageView(updated));
  }

  /** Adds or removes the actor's reaction; idempotent either way. */
  async react(
    actor: Actor,
    messageId: string,
    emoji: string,
    add: boolean,
    resolve = this.resolve,
  ): Promise<ChannelResult<Message>> {
    const found = await this.messageInContext(actor, messageId, resolve);
    if (!found.ok) return found;
    const { context } = found.value;
    if (!context.access.write) {
      return refuse(context.access.archived ? 'archived' : 'forbidden', 'you may not react in this channel');
    }
    let message = found.value.message;
    const me = oid(actor.userId);
    // Rewrite the reactions guarded by the revision: a concurrent change makes us read again and retry.
    for (let attempt = 0; attempt < 20; attempt++) {
      if (message.deletedAt) return refuse('not_found', 'the message was deleted');
      const reactions = message.reactions.map((r) => ({ emoji: r.emoji, userIds: [...r.userIds] }));
      const existing = reactions.find((r) => r.emoji === emoji);
      const mine = existing?.userIds.some((id) => id.equals(me)) ?? false;
      if (add === mine) return ok(messageView(message));
      if (add) {
        if (existing) existing.userIds.push(me);
        else if (reactions.length >= CHANNEL_LIMITS.reactionsMax)
          return refuse('invalid', 'too many different reactions');
        else reactions.push({ emoji, userIds: [me] });
      } else if (existing) {
        existing.userIds = existing.userIds.filter((id) => !id.equals(me));
      }
      const next = reactions.filter((r) => r.userIds.length > 0);
      const updated = await this.m.Message.findOneAndUpdate(
        { _id: message._id, rev: message.rev },
        { $set: { reactions: next }, $inc: { rev: 1 } },
        { returnDocument: 'after' },
      ).lean<MessageRecord>();
      if (updated) return ok(messageView(updated));
      const again = await this.m.Message.findById(message._id).lean<MessageRecord>();
      if (again === null) return refuse('not_found', 'no such message');
      message = again;
    }
    return refuse('internal', 'the reactions kept changing; try again');
  }
}
