/** Server cursors through the official driver and below it: batches, getMore, killCursors, timeouts. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Binary, Long } from 'bson';
import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/index';
import { RawClient, collectingLogger, cursorOf, opMsg, opMsgReplyBody } from './helpers';

let dataDir: string;
let server: EmbeddedServer;
let client: MongoClient;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cope-wire-cursors-'));
  server = await startEmbeddedServer({ dataDir, logger: collectingLogger().logger });
  client = await MongoClient.connect(server.url, { monitorCommands: true });
  client.on('commandStarted', (event) => started.push(event));
  await client
    .db('wire')
    .collection<{ _id: number; n: number }>('many')
    .insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: i, n: i })));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('cursors', () => {
  it('returns 101 documents first, then the rest through getMore, in order', async () => {
    started.length = 0;
    const docs = await client
      .db('wire')
      .collection('many')
      .find({}, { sort: { _id: 1 } })
      .toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(started.filter((e) => e.commandName === 'getMore').length).toBeGreaterThan(0);
  });

  it('honours batchSize on find and aggregate across many batches', async () => {
    started.length = 0;
    const found = await client
      .db('wire')
      .collection('many')
      .find({ n: { $lt: 95 } }, { batchSize: 10, sort: { n: 1 } })
      .toArray();
    expect(found).toHaveLength(95);
    expect(started.filter((e) => e.commandName === 'getMore')).toHaveLength(9);
    started.length = 0;
    const aggregated = await client
      .db('wire')
      .collection('many')
      .aggregate([{ $match: { n: { $gte: 900 } } }, { $sort: { n: -1 } }], { batchSize: 25 })
      .toArray();
    expect(aggregated.map((d) => Number(d.n))).toEqual(Array.from({ length: 100 }, (_, i) => 999 - i));
    expect(started.filter((e) => e.commandName === 'getMore')).toHaveLength(3);
  });

  it('caps a batch at 16 MiB of documents', async () => {
    const big = client.db('wire').collection<{ _id: number; blob: Binary }>('big');
    const blob = new Binary(Buffer.alloc(5 * 1024 * 1024, 7));
    await big.insertMany(Array.from({ length: 8 }, (_, i) => ({ _id: i, blob })));
    const raw = await RawClient.connect(server.port);
    try {
      raw.send(opMsg(1, { find: 'big', filter: {}, sort: { _id: 1 }, $db: 'wire' }));
      const first = opMsgReplyBody(await raw.nextReply());
      expect(cursorOf(first).firstBatch).toHaveLength(3); // 3 x 5 MiB fit, a 4th would pass 16 MiB
      raw.send(opMsg(2, { getMore: cursorOf(first).id, collection: 'big', $db: 'wire' }));
      const next = opMsgReplyBody(await raw.nextReply());
      expect(cursorOf(next).nextBatch).toHaveLength(3);
      expect((await big.find().toArray()).every((doc) => doc.blob.length() === 5 * 1024 * 1024)).toBe(true);
    } finally {
      raw.destroy();
    }
  });

  it('refuses getMore from another namespace or on an unknown id, and kills cursors', async () => {
    const raw = await RawClient.connect(server.port);
    try {
      raw.send(opMsg(1, { find: 'many', filter: {}, batchSize: 2, $db: 'wire' }));
      const id = cursorOf(opMsgReplyBody(await raw.nextReply())).id;
      expect(id.isZero()).toBe(false);
      raw.send(opMsg(2, { getMore: id, collection: 'other', $db: 'wire' }));
      expect(opMsgReplyBody(await raw.nextReply())).toMatchObject({ ok: 0, code: 13 });
      raw.send(opMsg(3, { getMore: Long.fromNumber(987654), collection: 'many', $db: 'wire' }));
      expect(opMsgReplyBody(await raw.nextReply())).toMatchObject({
        ok: 0,
        code: 43,
        codeName: 'CursorNotFound',
      });
      raw.send(opMsg(4, { killCursors: 'many', cursors: [id, Long.fromNumber(987654)], $db: 'wire' }));
      const killed = opMsgReplyBody(await raw.nextReply());
      expect(killed.cursorsKilled).toEqual([id]);
      expect(killed.cursorsNotFound).toEqual([Long.fromNumber(987654)]);
      raw.send(opMsg(5, { getMore: id, collection: 'many', $db: 'wire' }));
      expect(opMsgReplyBody(await raw.nextReply())).toMatchObject({ ok: 0, code: 43 });
    } finally {
      raw.destroy();
    }
  });

  it('removes idle cursors after cursorTimeoutMs', async () => {
    // A server of its own, with a short timeout; the other tests use the default (10 minutes).
    const shortDir = await mkdtemp(path.join(tmpdir(), 'cope-wire-cursor-timeout-'));
    const short = await startEmbeddedServer({
      dataDir: shortDir,
      logger: collectingLogger().logger,
      cursorTimeoutMs: 200,
    });
    const raw = await RawClient.connect(short.port);
    try {
      raw.send(opMsg(1, { insert: 'c', documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }], $db: 'wire' }));
      expect(opMsgReplyBody(await raw.nextReply())).toEqual({ n: 3, ok: 1 });
      raw.send(opMsg(2, { find: 'c', filter: {}, batchSize: 1, $db: 'wire' }));
      const id = cursorOf(opMsgReplyBody(await raw.nextReply())).id;
      expect(id.isZero()).toBe(false);
      // Idle for well over the timeout plus one sweep interval (a quarter of the timeout).
      await new Promise((resolve) => setTimeout(resolve, 600));
      raw.send(opMsg(3, { getMore: id, collection: 'c', batchSize: 1, $db: 'wire' }));
      expect(opMsgReplyBody(await raw.nextReply())).toMatchObject({ ok: 0, code: 43 });
    } finally {
      raw.destroy();
      await short.close();
      await rm(shortDir, { recursive: true, force: true });
    }
  });

  it('lists collections and indexes through cursors', async () => {
    const names = await client.db('wire').listCollections({}, { nameOnly: true }).toArray();
    expect(names.map((c) => String(c.name)).sort()).toEqual(['big', 'many']);
    const indexes = await client.db('wire').collection('many').listIndexes().toArray();
    expect(indexes.map((index) => (index as { name: string }).name)).toEqual(['_id_']);
  });
});
