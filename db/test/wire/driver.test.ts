/**
 * The wire server as the official driver sees it: what the handshake makes the driver do (no retryable-write
 * txnNumber, no compression), unacknowledged writes, the refusals of transactions and change streams, and
 * the commands tools such as mongosh send at connect.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError, type CommandStartedEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/index';
import { collectingLogger } from './helpers';

let dataDir: string;
let server: EmbeddedServer;
let client: MongoClient;
const started: CommandStartedEvent[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cope-wire-driver-'));
  server = await startEmbeddedServer({ dataDir, logger: collectingLogger().logger });
  // The client offers compression; the server never accepts it (it would close a connection sending
  // OP_COMPRESSED), so every test below also shows that the driver sends plain messages.
  client = await MongoClient.connect(`${server.url}/?compressors=zlib`, { monitorCommands: true });
  client.on('commandStarted', (event) => started.push(event));
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('driver behaviour against the embedded server', () => {
  it('sees a standalone server, so plain writes carry no txnNumber', async () => {
    const things = client.db('drv').collection<{ _id: number; v?: number }>('things');
    started.length = 0;
    await things.insertOne({ _id: 1 });
    await things.updateOne({ _id: 1 }, { $set: { v: 2 } });
    await things.findOneAndUpdate({ _id: 1 }, { $inc: { v: 1 } });
    await things.deleteOne({ _id: 1 });
    const writes = started.filter((e) =>
      ['insert', 'update', 'findAndModify', 'delete'].includes(e.commandName),
    );
    expect(writes).toHaveLength(4);
    for (const write of writes) expect(write.command.txnNumber).toBeUndefined();
  });

  it('runs unacknowledged (w: 0) writes, which the driver sends with moreToCome', async () => {
    // One connection, so the next command is read after the unacknowledged one on the same socket.
    const single = await MongoClient.connect(server.url, { maxPoolSize: 1 });
    try {
      const quiet = single.db('drv').collection<{ _id: string }>('quiet');
      await quiet.insertOne({ _id: 'w0' }, { writeConcern: { w: 0 } });
      expect(await quiet.findOne({ _id: 'w0' })).toEqual({ _id: 'w0' });
    } finally {
      await single.close();
    }
  });

  it('refuses transactions with IllegalOperation (20)', async () => {
    const session = client.startSession();
    try {
      session.startTransaction();
      const error = await client
        .db('drv')
        .collection('tx')
        .findOne({}, { session })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(MongoServerError);
      expect(error).toMatchObject({
        code: 20,
        message: 'Transactions are not supported by the embedded server',
      });
    } finally {
      await session.abortTransaction().catch(() => undefined);
      await session.endSession();
    }
  });

  it('refuses change streams with code 40573', async () => {
    const stream = client.db('drv').collection('cs').watch();
    await expect(stream.tryNext()).rejects.toMatchObject({
      code: 40573,
      message: 'Change streams are not supported by the embedded server',
    });
    await stream.close();
  });

  it('answers the commands mongosh and Compass send at connect', async () => {
    const admin = client.db('admin');
    expect(await admin.command({ getParameter: 1, featureCompatibilityVersion: 1 })).toMatchObject({
      ok: 1,
      featureCompatibilityVersion: { version: '7.0' },
    });
    expect(await admin.command({ getLog: 'startupWarnings' })).toMatchObject({ ok: 1, log: [] });
    const hostInfo = await admin.command({ hostInfo: 1 });
    expect(hostInfo.ok).toBe(1);
    expect(typeof (hostInfo.system as { numCores: unknown }).numCores).toBe('number');
    expect(await admin.command({ connectionStatus: 1 })).toMatchObject({
      ok: 1,
      authInfo: { authenticatedUsers: [] },
    });
    expect(String((await admin.command({ whatsmyuri: 1 })).you)).toMatch(/^127\.0\.0\.1:\d+$/);
    const names = await admin.command({ listDatabases: 1, nameOnly: true });
    expect(names.databases).toContainEqual({ name: 'drv' });
    await expect(admin.command({ atlasVersion: 1 })).rejects.toMatchObject({
      code: 59,
      codeName: 'CommandNotFound',
    });
    expect(await admin.command({ endSessions: [] })).toMatchObject({ ok: 1 });
  });

  it('validates command parameters with MongoDB’s errors', async () => {
    const db = client.db('drv');
    await expect(db.command({ delete: 'things', deletes: [{ q: {}, limit: 5 }] })).rejects.toMatchObject({
      code: 9,
    });
    await expect(db.command({ findAndModify: 'things', query: {} })).rejects.toMatchObject({
      code: 9,
      message: 'Either an update or remove=true must be specified',
    });
    await expect(db.command({ aggregate: 'things', pipeline: [] })).rejects.toMatchObject({ code: 9 });
    await expect(db.command({ find: 'things', limit: 'ten' })).rejects.toMatchObject({ code: 14 });
    await expect(db.command({ renameCollection: 'drv.a', to: 'drv.b' })).rejects.toMatchObject({ code: 13 });
    await expect(db.collection('missing').listIndexes().toArray()).rejects.toMatchObject({ code: 26 });
  });

  it('reads numeric parameters whatever their BSON type', async () => {
    const nums = client.db('drv').collection<{ _id: number }>('nums');
    await nums.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i })));
    const { Int32, Double, Long } = await import('bson');
    for (const limit of [new Int32(3), new Double(3), Long.fromNumber(3), 3]) {
      const reply = await client.db('drv').command({ find: 'nums', filter: {}, sort: { _id: 1 }, limit });
      expect((reply.cursor as { firstBatch: unknown[] }).firstBatch).toHaveLength(3);
    }
  });
});
