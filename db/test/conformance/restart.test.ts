/**
 * A clean restart on the same data folder keeps collections, documents, and every index with its options
 * (unique, partial, TTL) in force. Embedded server only: a real MongoDB is not restarted by the suite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Binary, Decimal128, Long, MongoClient, MongoServerError } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/embedded/index';
import { usingRealMongoDB, waitFor, type AnyDoc } from '../helpers';

const logger = pino({ level: 'warn' });

describe.skipIf(usingRealMongoDB)('restart on the same data folder', () => {
  let dataDir: string;
  let server: EmbeddedServer | undefined;
  let client: MongoClient | undefined;

  async function open(): Promise<MongoClient> {
    server = await startEmbeddedServer({ dataDir, port: 0, ttlIntervalMs: 200, logger });
    client = await MongoClient.connect(server.url);
    return client;
  }

  async function shut(): Promise<void> {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cope-db-restart-'));
  });

  afterAll(async () => {
    await shut();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps documents, indexes and their options', async () => {
    const first = await open();
    const users = first.db('app').collection<AnyDoc>('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.createIndex(
      { handle: 1 },
      { unique: true, partialFilterExpression: { handle: { $type: 'string' } } },
    );
    await users.createIndex({ seenAt: 1 }, { expireAfterSeconds: 1 });
    await users.insertMany([
      {
        _id: 1,
        email: 'a',
        handle: 'x',
        big: Long.fromString('9007199254740993'),
        amount: Decimal128.fromString('1.10'),
      },
      { _id: 2, email: 'b', bytes: new Binary(Buffer.from([1, 2, 3])) },
    ]);
    await first.db('app').createCollection('empty');
    const indexesBefore = await users.listIndexes().toArray();
    await shut();

    const second = await open();
    const again = second.db('app').collection<AnyDoc>('users');
    expect(await again.listIndexes().toArray()).toEqual(indexesBefore);
    const names = (await second.db('app').listCollections({}, { nameOnly: true }).toArray()).map(
      (c) => c.name,
    );
    expect(names.sort()).toEqual(['empty', 'users']);

    const one = await again.findOne({ _id: 1 }, { promoteLongs: false });
    expect(String(one?.big)).toBe('9007199254740993');
    expect(String(one?.amount)).toBe('1.10');
    const two = await again.findOne({ _id: 2 });
    expect(Buffer.from((two?.bytes as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));

    // Unique and partial unique indexes are still enforced.
    const dup = await again.insertOne({ email: 'a' }).catch((error: unknown) => error);
    expect(dup).toBeInstanceOf(MongoServerError);
    expect((dup as MongoServerError).code).toBe(11000);
    await again.insertOne({ email: 'c' }); // no handle: outside the partial index
    await again.insertOne({ email: 'd' });

    // The TTL index still removes expired documents.
    await again.insertOne({ _id: 'old', email: 'old', seenAt: new Date(Date.now() - 3_600_000) });
    expect(await waitFor(async () => (await again.countDocuments({ _id: 'old' })) === 0, 15_000)).toBe(true);
  });
});
