/**
 * Indexes: createIndexes/listIndexes/dropIndexes, unique (single and compound), sparse, partial and TTL
 * (https://www.mongodb.com/docs/manual/indexes/).
 */
import { Double, Long, MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  expectRejection,
  expectServerError,
  startTestDatabase,
  usingRealMongoDB,
  waitFor,
  type AnyDoc,
  type TestDatabase,
} from '../helpers';

// MongoDB's TTL monitor runs every 60 s; the embedded server is started with a short interval.
const TTL_WAIT_MS = usingRealMongoDB ? 150_000 : 15_000;

let tdb: TestDatabase;
let db: Db;
let coll: Collection<AnyDoc>;
let counter = 0;

beforeAll(async () => {
  tdb = await startTestDatabase({ ttlIntervalMs: 200 });
  db = tdb.client.db(tdb.dbName);
});

afterAll(async () => {
  await tdb.close();
});

beforeEach(() => {
  counter += 1;
  coll = db.collection<AnyDoc>(`idx_${counter}`);
});

interface IndexInfo extends Document {
  name: string;
  key: Document;
  v?: number;
}

async function listIndexes(): Promise<IndexInfo[]> {
  return (await coll.listIndexes().toArray()) as IndexInfo[];
}

async function indexByName(name: string): Promise<Document | undefined> {
  return (await listIndexes()).find((i) => i.name === name);
}

describe('index management', () => {
  it('creates, lists and drops indexes', async () => {
    await coll.insertOne({ a: 1, b: 1 });
    expect(await coll.createIndex({ a: 1 })).toBe('a_1');
    expect(await coll.createIndex({ a: 1, b: -1 })).toBe('a_1_b_-1');
    expect(await coll.createIndex({ b: 1 }, { name: 'by_b' })).toBe('by_b');

    const indexes = await listIndexes();
    expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'a_1', 'a_1_b_-1', 'by_b']);
    expect(indexes.find((i) => i.name === '_id_')?.key).toEqual({ _id: 1 });
    expect(indexes.find((i) => i.name === 'a_1_b_-1')?.key).toEqual({ a: 1, b: -1 });
    for (const index of indexes) expect(index.v).toBe(2);

    await coll.dropIndex('a_1');
    expect((await listIndexes()).map((i) => i.name).sort()).toEqual(['_id_', 'a_1_b_-1', 'by_b']);
    await coll.dropIndexes();
    expect((await listIndexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('creates indexes through the raw command, reporting counts', async () => {
    const reply = await db.command({
      createIndexes: coll.collectionName,
      indexes: [
        { key: { x: 1 }, name: 'x_1' },
        { key: { y: 1 }, name: 'y_1' },
      ],
    });
    expect(reply.ok).toBe(1);
    expect(reply.numIndexesBefore).toBe(1);
    expect(reply.numIndexesAfter).toBe(3);
  });

  it('creates the collection with its first index, and drops an index by its key', async () => {
    await coll.createIndex({ k: 1 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain(coll.collectionName);
    await coll.dropIndex({ k: 1 } as never);
    expect((await listIndexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('refuses listIndexes on a missing collection with NamespaceNotFound (26)', async () => {
    await expectServerError(db.command({ listIndexes: 'never_created' }), 26);
  });

  it('treats re-creating an identical index as a no-op', async () => {
    await coll.createIndex({ a: 1 });
    await coll.createIndex({ a: 1 });
    expect(await listIndexes()).toHaveLength(2);
  });

  it('refuses a conflicting index with the same name', async () => {
    await coll.createIndex({ a: 1 }, { name: 'same' });
    await expectRejection(coll.createIndex({ b: 1 }, { name: 'same' }));
  });

  it('refuses to drop an unknown index with IndexNotFound (27) and never drops _id_', async () => {
    await coll.insertOne({ a: 1 });
    await expectServerError(coll.dropIndex('nope_1'), 27);
    await expectRejection(coll.dropIndex('_id_'));
    expect((await listIndexes()).map((i) => i.name)).toEqual(['_id_']);
  });

  it('lists index options as given', async () => {
    await coll.createIndex({ u: 1 }, { unique: true });
    await coll.createIndex({ s: 1 }, { sparse: true });
    await coll.createIndex({ p: 1 }, { partialFilterExpression: { p: { $exists: true } } });
    await coll.createIndex({ t: 1 }, { expireAfterSeconds: 3600 });
    expect(await indexByName('u_1')).toMatchObject({ key: { u: 1 }, unique: true });
    expect(await indexByName('s_1')).toMatchObject({ key: { s: 1 }, sparse: true });
    expect(await indexByName('p_1')).toMatchObject({ partialFilterExpression: { p: { $exists: true } } });
    expect(await indexByName('t_1')).toMatchObject({ expireAfterSeconds: 3600 });
  });
});

describe('unique indexes', () => {
  it('refuses a duplicate with E11000, keyPattern and keyValue', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@example.org' });
    const error = await expectServerError(coll.insertOne({ email: 'a@example.org' }), 11000);
    expect(error.keyPattern).toEqual({ email: 1 });
    expect(error.keyValue).toEqual({ email: 'a@example.org' });
    expect(error.message).toContain('E11000');
    expect(await coll.countDocuments()).toBe(1);
  });

  it('refuses a duplicate _id with keyPattern { _id: 1 }', async () => {
    await coll.insertOne({ _id: 'k' });
    const error = await expectServerError(coll.insertOne({ _id: 'k' }), 11000);
    expect(error.keyPattern).toEqual({ _id: 1 });
    expect(error.keyValue).toEqual({ _id: 'k' });
  });

  it('refuses an update that would create a duplicate', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany([{ email: 'a' }, { email: 'b' }]);
    const error = await expectServerError(coll.updateOne({ email: 'b' }, { $set: { email: 'a' } }), 11000);
    expect(error.keyValue).toEqual({ email: 'a' });
    expect(await coll.countDocuments({ email: 'b' })).toBe(1);
  });

  it('a compound unique index refuses only duplicate combinations', async () => {
    await coll.createIndex({ space: 1, slug: 1 }, { unique: true });
    await coll.insertMany([
      { space: 1, slug: 'a' },
      { space: 1, slug: 'b' },
      { space: 2, slug: 'a' },
    ]);
    const error = await expectServerError(coll.insertOne({ space: 2, slug: 'a' }), 11000);
    expect(error.keyPattern).toEqual({ space: 1, slug: 1 });
    expect(error.keyValue).toEqual({ space: 2, slug: 'a' });
  });

  it('treats a missing field as null in a non-sparse unique index', async () => {
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertOne({ other: 1 });
    const error = await expectServerError(coll.insertOne({ other: 2 }), 11000);
    expect(error.keyValue).toEqual({ code: null });
  });

  it('considers numerically equal values of different types duplicates', async () => {
    await coll.createIndex({ n: 1 }, { unique: true });
    await coll.insertOne({ n: 1 });
    await expectServerError(coll.insertOne({ n: new Double(1) }), 11000);
    await coll.insertOne({ n: '1' });
  });

  it('a sparse unique index skips documents without the field', async () => {
    await coll.createIndex({ code: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ other: 1 }, { other: 2 }, { code: 'x' }]);
    await expectServerError(coll.insertOne({ code: 'x' }), 11000);
    expect(await coll.countDocuments()).toBe(3);
  });

  it('a partial unique index only constrains documents matching its filter', async () => {
    await coll.createIndex({ name: 1 }, { unique: true, partialFilterExpression: { active: { $eq: true } } });
    await coll.insertMany([
      { name: 'n', active: false },
      { name: 'n', active: false },
      { name: 'n', active: true },
    ]);
    await expectServerError(coll.insertOne({ name: 'n', active: true }), 11000);
    expect(await coll.countDocuments({ name: 'n' })).toBe(3);
  });

  it('a unique index on an array field constrains elements across documents, not within one', async () => {
    await coll.createIndex({ tags: 1 }, { unique: true });
    await coll.insertOne({ tags: ['a', 'a', 'b'] });
    const error = await expectServerError(coll.insertOne({ tags: ['c', 'b'] }), 11000);
    expect(error.keyValue).toEqual({ tags: 'b' });
    await coll.insertOne({ tags: ['c'] });
  });

  it('a unique index on an embedded path', async () => {
    await coll.createIndex({ 'profile.email': 1 }, { unique: true });
    await coll.insertOne({ profile: { email: 'x' } });
    const error = await expectServerError(coll.insertOne({ profile: { email: 'x', other: 1 } }), 11000);
    expect(error.keyPattern).toEqual({ 'profile.email': 1 });
    expect(error.keyValue).toEqual({ 'profile.email': 'x' });
  });

  it('treats numerically equal _ids of different types, and null _ids, as duplicates', async () => {
    await coll.insertOne({ _id: 1 });
    await expectServerError(coll.insertOne({ _id: new Double(1) }), 11000);
    await expectServerError(coll.insertOne({ _id: Long.fromNumber(1) }), 11000);
    // The driver replaces a null _id with a new ObjectId, so null goes through the raw command.
    const first = await db.command({ insert: coll.collectionName, documents: [{ _id: null }] });
    expect(first.n).toBe(1);
    const second = await db.command({ insert: coll.collectionName, documents: [{ _id: null }] });
    expect(second.n).toBe(0);
    expect((second.writeErrors as Document[])[0]?.code).toBe(11000);
  });

  it('compares embedded-document _ids field by field, in order', async () => {
    await coll.insertOne({ _id: { a: 1, b: 2 } });
    await coll.insertOne({ _id: { b: 2, a: 1 } }); // another value: field order matters
    expect(await coll.countDocuments({ _id: { a: 1, b: 2 } })).toBe(1);
    await expectServerError(coll.insertOne({ _id: { a: 1, b: 2 } }), 11000);
  });

  it('refuses a TTL option on a compound index', async () => {
    await expectRejection(coll.createIndex({ a: 1, b: 1 }, { expireAfterSeconds: 60 }));
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    await coll.insertMany([{ d: 1 }, { d: 1 }]);
    const error = await expectRejection(coll.createIndex({ d: 1 }, { unique: true }));
    expect(error).toBeInstanceOf(MongoServerError);
    expect((error as MongoServerError).code).toBe(11000);
    expect(await indexByName('d_1')).toBeUndefined();
  });

  it('reports every duplicate of an unordered insertMany, each with its index', async () => {
    await coll.createIndex({ e: 1 }, { unique: true });
    const error = await expectRejection(
      coll.insertMany([{ e: 1 }, { e: 1 }, { e: 2 }, { e: 2 }], { ordered: false }),
    );
    const writeErrors = (error as unknown as { writeErrors: { index: number; code: number }[] }).writeErrors;
    expect(writeErrors.map((e) => [e.index, e.code])).toEqual([
      [1, 11000],
      [3, 11000],
    ]);
  });
});

describe('TTL indexes', () => {
  it(
    'removes expired documents in the background and keeps the others',
    async () => {
      const now = Date.now();
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
      await coll.insertMany([
        { _id: 'old', at: new Date(now - 3_600_000) },
        { _id: 'oldInArray', at: [new Date(now + 3_600_000), new Date(now - 3_600_000)] },
        { _id: 'future', at: new Date(now + 3_600_000) },
        { _id: 'notADate', at: 'yesterday' },
        { _id: 'missing' },
      ]);

      const removed = await waitFor(
        async () => (await coll.countDocuments({ _id: 'old' })) === 0,
        TTL_WAIT_MS,
      );
      expect(removed).toBe(true);
      // One monitor pass removed 'old'; the earliest date of an array counts.
      expect(
        await waitFor(async () => (await coll.countDocuments({ _id: 'oldInArray' })) === 0, TTL_WAIT_MS),
      ).toBe(true);
      const left = (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(left).toEqual(['future', 'missing', 'notADate']);
    },
    TTL_WAIT_MS * 2 + 10_000,
  );

  it(
    'expires at a given clock time with expireAfterSeconds: 0',
    async () => {
      await coll.createIndex({ expireAt: 1 }, { expireAfterSeconds: 0 });
      const expireAt = new Date(Date.now() + 1_500);
      await coll.insertMany([
        { _id: 'soon', expireAt },
        { _id: 'later', expireAt: new Date(Date.now() + 3_600_000) },
      ]);
      // Still there before its time (checked well before it).
      expect(await coll.countDocuments({ _id: 'soon' })).toBe(1);
      expect(await waitFor(async () => (await coll.countDocuments({ _id: 'soon' })) === 0, TTL_WAIT_MS)).toBe(
        true,
      );
      expect(Date.now()).toBeGreaterThanOrEqual(expireAt.getTime());
      expect(await coll.countDocuments({ _id: 'later' })).toBe(1);
    },
    TTL_WAIT_MS + 10_000,
  );
});
