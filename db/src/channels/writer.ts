/**
 * Storing messages with group commit. Sends to one channel queue up while the previous batch is being
 * written; a batch costs one database round trip whatever its size: an ordered insert of the new messages,
 * numbered from the channel's last sequence number (kept in memory, read once from the newest message).
 * Two unique indexes keep it right without a read first: `clientKey` turns a retry into a duplicate-key
 * error (the stored message is then fetched and returned), and `pos` does the same when another process
 * took a sequence number (the rest of the batch is numbered again). Under a burst, batches grow and the cost
 * per message falls; at a trickle each message is its own batch.
 *
 * A channel's batches run one after the other and `onStored` is called in sequence order, before any
 * sender's promise resolves: whoever broadcasts from it sends every member the same order.
 */
import type { Message, Mention } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { searchTermsOf } from '@cope/domain';
import { channelModels, lastMessageOf, posOf, type MessageRecord } from './models.js';
import { messageView } from './views.js';
import { insertOrdered } from '../insert-commands.js';
import { DUPLICATE_KEY } from '../mongo-errors.js';

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

/** What storing a batch found: the records written, those a retry had written before, updated threads. */
interface BatchOutcome {
  stored: Map<string, MessageRecord>;
  existing: Map<string, MessageRecord>;
  parents: Map<string, Message>;
  firstOf: Map<string, Pending>;
}

export interface MessageWriterOptions {
  /** Called for each newly stored message (not for duplicates), in sequence order per channel. */
  onStored?: (stored: StoredMessage) => void;
  /** Told when `onStored` throws (the writer goes on). */
  onListenerError?: (error: unknown) => void;
  /** The largest batch; more waiting messages go into the next one. */
  maxBatch?: number;
}

export const clientKeyOf = (authorId: string, clientId: string): string => `${authorId}:${clientId}`;

/** An upper bound of a message record's BSON size: its strings at 3 bytes a character, plus the fields. */
function estimatedBytes(doc: MessageRecord): number {
  let chars = doc.body.length + doc.authorName.length + doc.clientKey.length;
  for (const term of doc.terms) chars += term.length + 8;
  for (const mention of doc.mentions) chars += mention.name.length + 40;
  return 3 * chars + 512;
}

export class MessageWriter {
  private readonly queues = new Map<string, Pending[]>();
  private readonly running = new Set<string>();
  /** Per channel, the publishing of written batches still to come (it never rejects). */
  private readonly publishing = new Map<string, Promise<void>>();
  /** The last sequence number used per channel (the unique `pos` index catches another process's use). */
  private readonly lastSeq = new Map<string, number>();
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
    // Batch k is published (broadcast, senders answered) while batch k+1 is being written: under a burst
    // the database thread and this one work side by side instead of taking turns.
    // Chained on what an earlier drain of the channel may still be publishing.
    let published = this.publishing.get(channelId) ?? Promise.resolve();
    try {
      for (;;) {
        const queue = this.queues.get(channelId);
        if (queue === undefined || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        let outcome: BatchOutcome;
        try {
          outcome = await this.writeBatch(channelId, batch);
        } catch (error) {
          // Earlier batches are answered first, so that every answer keeps the channel's order.
          published = published.then(() => {
            for (const p of batch) p.reject(error);
          });
          this.publishing.set(channelId, published);
          continue;
        }
        // A macrotask later: the next batch's insert has gone to the database by then.
        published = published.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
        published = published.then(() => this.publish(batch, outcome));
        this.publishing.set(channelId, published);
      }
    } finally {
      this.running.delete(channelId);
      if (this.queues.get(channelId)?.length === 0) this.queues.delete(channelId);
      await published;
      if (this.publishing.get(channelId) === published) this.publishing.delete(channelId);
    }
  }

  /** Stores the batch (the database's part); `publish` then tells the listeners and the senders. */
  private async writeBatch(channelId: string, batch: Pending[]): Promise<BatchOutcome> {
    const { Message } = channelModels(this.conn);
    // The first send of each client key in the batch is written; later ones are its retries.
    const firstOf = new Map<string, Pending>();
    for (const p of batch) if (!firstOf.has(p.clientKey)) firstOf.set(p.clientKey, p);
    const existing = new Map<string, MessageRecord>();
    const stored = new Map<string, MessageRecord>();
    const now = new Date();
    let remaining = [...firstOf.values()];
    // The happy path is one insert. A retried client key, or a sequence number another process took, fails
    // the ordered insert at that document: what went in is ours, the rest is numbered again and retried.
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 5) throw new Error('could not store the messages: the channel keeps changing');
      const last = await this.lastSeqOf(channelId);
      const docs = remaining.map((p, i) => this.recordOf(p, channelId, last + 1 + i, now));
      const failure = await insertOrdered(this.conn, Message.collection.collectionName, docs, estimatedBytes);
      if (failure === null) {
        for (const d of docs) stored.set(d.clientKey, d);
        this.lastSeq.set(channelId, last + docs.length);
        remaining = [];
        continue;
      }
      if (failure.code !== DUPLICATE_KEY) {
        throw new Error(`could not store the messages: ${failure.errmsg ?? `error ${failure.code}`}`);
      }
      this.lastSeq.delete(channelId);
      const found = await Message.find({ clientKey: { $in: docs.map((d) => d.clientKey) } }).lean<
        MessageRecord[]
      >();
      for (const m of found) {
        if (docs.some((d) => d._id.equals(m._id))) stored.set(m.clientKey, m);
        else existing.set(m.clientKey, m);
      }
      remaining = remaining.filter((p) => !stored.has(p.clientKey) && !existing.has(p.clientKey));
    }
    const parents = new Map<string, Message>();
    await this.countReplies([...stored.values()], now, parents);

    return { stored, existing, parents, firstOf };
  }

  /** Calls `onStored` for the batch's new messages in sequence order, then answers each sender. */
  private publish(batch: Pending[], { stored, existing, parents, firstOf }: BatchOutcome): void {
    // Sequence order, whatever the order the attempts stored them in.
    const fresh = [...stored.values()].sort((a, b) => a.seq - b.seq);
    const results = new Map<string, StoredMessage>();
    for (const record of fresh) {
      const message = messageView(record);
      const parent = message.parentId ? parents.get(message.parentId) : undefined;
      const result: StoredMessage = parent
        ? { message, duplicate: false, parent }
        : { message, duplicate: false };
      try {
        this.options.onStored?.(result);
      } catch (error) {
        // The message is stored: a failing listener must not keep its sender (or the next) unanswered.
        this.options.onListenerError?.(error);
      }
      results.set(record.clientKey, result);
    }
    for (const p of batch) {
      const mine = results.get(p.clientKey);
      if (mine !== undefined && firstOf.get(p.clientKey) === p) p.resolve(mine);
      else {
        const earlier = existing.get(p.clientKey) ?? stored.get(p.clientKey);
        if (earlier !== undefined) p.resolve({ message: messageView(earlier), duplicate: true });
        else p.reject(new Error('message was neither stored nor found'));
      }
    }
  }

  /** The last sequence number used in the channel: remembered, or read once from the newest message. */
  private async lastSeqOf(channelId: string): Promise<number> {
    const known = this.lastSeq.get(channelId);
    if (known !== undefined) return known;
    const last = await lastMessageOf(this.conn, channelId);
    const seq = last?.seq ?? 0;
    this.lastSeq.set(channelId, seq);
    return seq;
  }

  /** The last sequence number this writer used in the channel, if it wrote there. */
  knownLastSeq(channelId: string): number | undefined {
    return this.lastSeq.get(channelId);
  }

  private recordOf(p: Pending, channelId: string, seq: number, now: Date): MessageRecord {
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
    };
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
        { returnDocument: 'after' },
      ).lean<MessageRecord>();
      if (parent) out.set(parentId, messageView(parent));
    }
  }
}
