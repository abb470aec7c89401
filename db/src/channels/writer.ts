/**
 * Storing messages with group commit. Sends to one channel queue up while the previous batch is being
 * written; each batch costs three database round trips whatever its size: look up the client keys already
 * stored (retries), take a range of sequence numbers from the channel ($inc, so several processes could
 * share a channel safely), and insert the new messages. Under a burst, batches grow and the cost per message
 * falls; at a trickle each message is its own batch.
 *
 * A channel's batches run one after the other and `onStored` is called in sequence order, before any
 * sender's promise resolves: whoever broadcasts from it sends every member the same order.
 */
import type { Message, Mention } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { searchTermsOf } from '@cope/domain';
import { channelModels, posOf, type MessageRecord } from './models.js';
import { messageView } from './views.js';

export interface NewMessage {
  channelId: string;
  authorId: string;
  authorName: string;
  clientId: string;
  body: string;
  parentId: string | null;
  mentions: Mention[];
}

export interface StoredMessage {
  message: Message;
  /** The stored message had this client key already (a retry): nothing new was stored. */
  duplicate: boolean;
  /** For a new reply: its thread's first message, with the new reply count. */
  parent?: Message;
}

interface Pending {
  input: NewMessage;
  clientKey: string;
  resolve(result: StoredMessage): void;
  reject(error: unknown): void;
}

export interface MessageWriterOptions {
  /** Called for each newly stored message (not for duplicates), in sequence order per channel. */
  onStored?: (stored: StoredMessage) => void;
  /** The largest batch; more waiting messages go into the next one. */
  maxBatch?: number;
}

export const clientKeyOf = (authorId: string, clientId: string): string => `${authorId}:${clientId}`;

const DUPLICATE_KEY = 11000;

export class MessageWriter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly running = new Set<string>();
  private readonly maxBatch: number;

  constructor(
    private readonly conn: Connection,
    private readonly options: MessageWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 500;
  }

  /** Stores the message (or finds the one stored before under the same client id). */
  send(input: NewMessage): Promise<StoredMessage> {
    return new Promise((resolve, reject) => {
      const clientKey = clientKeyOf(input.authorId, input.clientId);
      let queue = this.queues.get(input.channelId);
      if (queue === undefined) this.queues.set(input.channelId, (queue = []));
      queue.push({ input, clientKey, resolve, reject });
      if (!this.running.has(input.channelId)) void this.drain(input.channelId);
    });
  }

  private async drain(channelId: string): Promise<void> {
    this.running.add(channelId);
    try {
      for (;;) {
        const queue = this.queues.get(channelId);
        if (queue === undefined || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        try {
          await this.writeBatch(channelId, batch);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.running.delete(channelId);
      if (this.queues.get(channelId)?.length === 0) this.queues.delete(channelId);
    }
  }

  private async writeBatch(channelId: string, batch: Pending[]): Promise<void> {
    const { Channel, Message } = channelModels(this.conn);
    const keys = [...new Set(batch.map((p) => p.clientKey))];
    const existing = new Map<string, MessageRecord>();
    for (const m of await Message.find({ clientKey: { $in: keys } }).lean<MessageRecord[]>()) {
      existing.set(m.clientKey, m);
    }
    // The first send of each new client key is stored; later ones in the batch are its retries.
    const fresh: Pending[] = [];
    const firstOf = new Map<string, Pending>();
    for (const p of batch) {
      if (existing.has(p.clientKey) || firstOf.has(p.clientKey)) continue;
      firstOf.set(p.clientKey, p);
      fresh.push(p);
    }

    const stored = new Map<string, MessageRecord>();
    const parents = new Map<string, Message>();
    if (fresh.length > 0) {
      const now = new Date();
      const channel = await Channel.findOneAndUpdate(
        { _id: new Types.ObjectId(channelId) },
        { $inc: { lastSeq: fresh.length }, $set: { lastMessageAt: now } },
        { new: true, projection: { lastSeq: 1 } },
      ).lean();
      if (channel === null) throw new Error(`channel ${channelId} does not exist`);
      const first = channel.lastSeq - fresh.length + 1;
      const docs = fresh.map((p, i) => {
        const seq = first + i;
        return {
          _id: new Types.ObjectId(),
          channelId: new Types.ObjectId(channelId),
          seq,
          pos: posOf(channelId, seq),
          clientKey: p.clientKey,
          clientId: p.input.clientId,
          authorId: new Types.ObjectId(p.input.authorId),
          authorName: p.input.authorName,
          body: p.input.body,
          terms: searchTermsOf(p.input.body),
          mentions: p.input.mentions.map((m) => ({ ...m, id: new Types.ObjectId(m.id) })),
          parentId: p.input.parentId ? new Types.ObjectId(p.input.parentId) : null,
          replyCount: 0,
          lastReplyAt: null,
          reactions: [],
          rev: 0,
          createdAt: now,
          editedAt: null,
          deletedAt: null,
          deletedBy: null,
        } satisfies MessageRecord;
      });
      try {
        await Message.collection.insertMany(docs, { ordered: false });
        for (const d of docs) stored.set(d.clientKey, d);
      } catch (error) {
        // Another process stored some of these client keys in between: theirs stand, ours are dropped.
        if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
        const taken = await Message.find({ clientKey: { $in: docs.map((d) => d.clientKey) } }).lean<
          MessageRecord[]
        >();
        for (const m of taken) {
          const mine = docs.find((d) => d._id.equals(m._id));
          if (mine) stored.set(m.clientKey, m);
          else existing.set(m.clientKey, m);
        }
      }
      await this.countReplies(
        docs.filter((d) => stored.has(d.clientKey)),
        now,
        parents,
      );
    }

    // Sequence order: `fresh` was numbered in batch order, so the batch order is the order.
    for (const p of batch) {
      const mine = stored.get(p.clientKey);
      if (mine !== undefined && firstOf.get(p.clientKey) === p) {
        const message = messageView(mine);
        const parent = message.parentId ? parents.get(message.parentId) : undefined;
        const result: StoredMessage = parent
          ? { message, duplicate: false, parent }
          : { message, duplicate: false };
        this.options.onStored?.(result);
        p.resolve(result);
      }
    }
    for (const p of batch) {
      const earlier =
        existing.get(p.clientKey) ?? (firstOf.get(p.clientKey) !== p ? stored.get(p.clientKey) : undefined);
      if (earlier !== undefined) p.resolve({ message: messageView(earlier), duplicate: true });
      else if (!stored.has(p.clientKey)) p.reject(new Error('message was neither stored nor found'));
    }
  }

  /** Adds the batch's replies to their threads' reply counts; returns the updated first messages. */
  private async countReplies(
    docs: { parentId: Types.ObjectId | null }[],
    at: Date,
    out: Map<string, Message>,
  ) {
    const counts = new Map<string, number>();
    for (const d of docs) {
      if (d.parentId) counts.set(d.parentId.toHexString(), (counts.get(d.parentId.toHexString()) ?? 0) + 1);
    }
    const { Message } = channelModels(this.conn);
    for (const [parentId, n] of counts) {
      const parent = await Message.findOneAndUpdate(
        { _id: new Types.ObjectId(parentId) },
        { $inc: { replyCount: n }, $set: { lastReplyAt: at } },
        { new: true },
      ).lean<MessageRecord>();
      if (parent) out.set(parentId, messageView(parent));
    }
  }
}
