/**
 * Concurrent clients: each write is atomic per document and concurrent writers are serialised, as MongoDB
 * guarantees (https://www.mongodb.com/docs/manual/core/write-operations-atomicity/); large results are split
 * into batches that each fit in a reply.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Binary, MongoClient, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type AnyDoc, type TestDatabase } from '../helpers';

const CLIENTS = 10;

let tdb: TestDatabase;
let db: Db;
let clients: MongoClient[];

beforeAll(async () => {
  tdb = await startTestDatabase();
  db = tdb.client.db(tdb.dbName);
  clients = await Promise.all(Array.from({ length: CLIENTS }, () => MongoClient.connect(tdb.url)));
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await tdb.close();
});

describe('concurrent writers', () => {
  it('loses no $inc from many clients on the same document', async () => {
    await db.collection<AnyDoc>('counter').insertOne({ _id: 'c', n: 0 });
    await Promise.all(
      clients.map(async (client) => {
        const coll = client.db(tdb.dbName).collection<AnyDoc>('counter');
        for (let i = 0; i < 50; i++) await coll.updateOne({ _id: 'c' }, { $inc: { n: 1 } } as Document);
      }),
    );
    expect(await db.collection<AnyDoc>('counter').findOne({ _id: 'c' })).toEqual({
      _id: 'c',
      n: CLIENTS * 50,
    });
  });

  it('creates exactly one document from concurrent upserts on a unique key', async () => {
    const coll = db.collection<AnyDoc>('upserts');
    await coll.createIndex({ key: 1 }, { unique: true });
    await Promise.all(
      clients.map(async (client) => {
        const mine = client.db(tdb.dbName).collection<AnyDoc>('upserts');
        for (let i = 0; i < 20; i++)
          await mine.updateOne({ key: 'k' }, { $inc: { hits: 1 } } as Document, { upsert: true });
      }),
    );
    const docs = await coll.find({ key: 'k' }).toArray();
    expect(docs).toHaveLength(1);
    expect(docs[0]?.hits).toBe(CLIENTS * 20);
  });

  it('lets exactly one of many clients claim a document with findOneAndUpdate', async () => {
    const coll = db.collection<AnyDoc>('claims');
    await coll.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, owner: null })));
    const claimed = await Promise.all(
      clients.map((client, c) =>
        client
          .db(tdb.dbName)
          .collection<AnyDoc>('claims')
          .findOneAndUpdate(
            { owner: null },
            { $set: { owner: c } },
            { sort: { _id: 1 }, returnDocument: 'after' },
          ),
      ),
    );
    const winners = claimed.filter((d) => d !== null);
    expect(winners).toHaveLength(5);
    expect(new Set(winners.map((d) => d?._id)).size).toBe(5);
    expect(await coll.countDocuments({ owner: null })).toBe(0);
  });

  it('refuses all but one of concurrent inserts of the same unique value', async () => {
    const coll = db.collection<AnyDoc>('unique_race');
    await coll.createIndex({ email: 1 }, { unique: true });
    const results = await Promise.allSettled(
      clients.map((client) =>
        client.db(tdb.dbName).collection<AnyDoc>('unique_race').insertOne({ email: 'same' }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await coll.countDocuments()).toBe(1);
  });
});

describe('large results', () => {
  it('returns documents whose total size exceeds one reply, split into batches, intact', async () => {
    const coll = db.collection<AnyDoc>('large');
    const blobs = Array.from({ length: 12 }, () => randomBytes(3 * 1024 * 1024));
    for (const [i, blob] of blobs.entries()) await coll.insertOne({ _id: i, blob: new Binary(blob) });
    const docs = await coll.find().sort({ _id: 1 }).toArray();
    expect(docs).toHaveLength(blobs.length);
    for (const [i, doc] of docs.entries()) {
      const got = createHash('sha256')
        .update((doc.blob as Binary).buffer)
        .digest('hex');
      expect(got).toBe(
        createHash('sha256')
          .update(blobs[i] as Buffer)
          .digest('hex'),
      );
    }
  });
});
