/**
 * The group-commit message writer on the real embedded database: two writers on one channel stand for two
 * processes (each keeps its own sequence numbers in memory); the unique indexes must keep every message
 * once, with distinct sequence numbers, and each writer's broadcasts in sequence order.
 */
import { Types } from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  channelModels,
  ensureChannelIndexes,
  MessageWriter,
  type StoredMessage,
} from '../../src/channels/index';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const author = new Types.ObjectId().toHexString();
const message = (channelId: string, clientId: string) => ({
  channelId,
  authorId: author,
  authorName: 'Ana',
  clientId,
  body: `message ${clientId}`,
  parentId: null,
  mentions: [],
});

describe('MessageWriter', () => {
  it('keeps every message once with distinct sequence numbers when two writers share a channel', async () => {
    t = await startMongooseDatabase();
    await ensureChannelIndexes(t.conn);
    const { Channel, Message } = channelModels(t.conn);
    const channel = await Channel.create({ kind: 'network', key: 'network:test', name: 'test' });
    const channelId = channel._id.toHexString();
    const seen: [StoredMessage[], StoredMessage[]] = [[], []];
    const writers = [0, 1].map(
      (i) => new MessageWriter(t!.conn, { onStored: (s) => seen[i as 0 | 1].push(s) }),
    );
    // Both writers learn the channel's last number before racing.
    await writers[0]!.send(message(channelId, 'warmup-0001'));
    await writers[1]!.send(message(channelId, 'warmup-0002'));

    const sends = [];
    for (let i = 0; i < 60; i++) {
      const writer = writers[i % 2]!;
      sends.push(writer.send(message(channelId, `msg-${String(i).padStart(4, '0')}`)));
      // The same client id through the other writer: a retry arriving at another process.
      if (i % 10 === 0)
        sends.push(writers[(i + 1) % 2]!.send(message(channelId, `msg-${String(i).padStart(4, '0')}`)));
    }
    const results = await Promise.all(sends);
    const stored = await Message.find({ channelId: channel._id }).lean();
    expect(stored).toHaveLength(62);
    expect(new Set(stored.map((m) => m.seq)).size).toBe(62);
    expect(new Set(stored.map((m) => m.clientKey)).size).toBe(62);
    // Every send resolved with the stored message of its client id; retries say so.
    for (const r of results) {
      expect(stored.some((m) => m._id.toHexString() === r.message.id)).toBe(true);
    }
    expect(results.filter((r) => r.duplicate)).toHaveLength(6);
    // Each writer broadcast in ascending sequence order, and nothing twice.
    for (const list of seen) {
      const seqs = list.map((s) => s.message.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(seen[0].length + seen[1].length).toBe(62);
  });

  it('publishes batches in order while the next is written, each sender answered after its broadcast', async () => {
    t = await startMongooseDatabase();
    await ensureChannelIndexes(t.conn);
    const { Channel } = channelModels(t.conn);
    const channel = await Channel.create({ kind: 'network', key: 'network:burst', name: 'burst' });
    const channelId = channel._id.toHexString();
    const events: string[] = [];
    const failures: unknown[] = [];
    // Small batches, so that the burst is many batches with writing and publishing overlapping.
    const writer = new MessageWriter(t.conn, {
      maxBatch: 7,
      onStored: (s) => {
        events.push(`stored ${s.message.seq}`);
        // A listener that throws once must not keep anyone unanswered.
        if (s.message.seq === 10) throw new Error('listener failed');
      },
      onListenerError: (error) => failures.push(error),
    });
    const sends = Array.from({ length: 100 }, (_, i) =>
      writer.send(message(channelId, `burst-${String(i).padStart(4, '0')}`)).then((r) => {
        events.push(`answered ${r.message.seq}`);
        return r;
      }),
    );
    const results = await Promise.all(sends);
    // Sent in this order, numbered in this order.
    expect(results.map((r) => r.message.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const stored = events.filter((e) => e.startsWith('stored')).map((e) => Number(e.split(' ')[1]));
    expect(stored).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    for (let seq = 1; seq <= 100; seq++) {
      expect(events.indexOf(`stored ${seq}`)).toBeLessThan(events.indexOf(`answered ${seq}`));
    }
    expect(failures).toHaveLength(1);
  });

  it('stores a batch of long messages over several commands, in order, finding a retry in a later one', async () => {
    t = await startMongooseDatabase();
    await ensureChannelIndexes(t.conn);
    const { Channel, Message } = channelModels(t.conn);
    const channel = await Channel.create({ kind: 'network', key: 'network:long', name: 'long' });
    const channelId = channel._id.toHexString();
    const writer = new MessageWriter(t.conn, { maxBatch: 600 });
    // The longest messages, in three-byte UTF-8: 30 kB each, 18 MB for the batch, more than a MongoDB
    // command may carry (16 MB).
    const long = (clientId: string) => ({ ...message(channelId, clientId), body: '€'.repeat(10_000) });
    const earlier = await writer.send(long('long-0250'));
    const results = await Promise.all(
      Array.from({ length: 600 }, (_, i) => writer.send(long(`long-${String(i).padStart(4, '0')}`))),
    );
    const retry = results[250]!;
    expect(retry.duplicate).toBe(true);
    expect(retry.message.id).toBe(earlier.message.id);
    const fresh = results.filter((r) => !r.duplicate);
    expect(fresh).toHaveLength(599);
    // Numbered in the order sent, after the earlier message, with no gap and nothing twice.
    expect(fresh.map((r) => r.message.seq)).toEqual(Array.from({ length: 599 }, (_, i) => i + 2));
    const stored = await Message.find({ channelId: channel._id }, { seq: 1, body: 1 }).lean();
    expect(stored).toHaveLength(600);
    expect(new Set(stored.map((m) => m.seq)).size).toBe(600);
    expect(stored.every((m) => m.body.length === 10_000)).toBe(true);
  });
});
