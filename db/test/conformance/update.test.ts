/**
 * update, delete, findAndModify and bulkWrite, as MongoDB documents them
 * (https://www.mongodb.com/docs/manual/reference/operator/update/).
 */
import {
  Binary,
  Decimal128,
  Double,
  Int32,
  Long,
  MongoServerError,
  Timestamp,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  expectRejection,
  expectServerError,
  startTestDatabase,
  type AnyDoc,
  type TestDatabase,
} from '../helpers';

let tdb: TestDatabase;
let db: Db;
let coll: Collection<AnyDoc>;
let counter = 0;

beforeAll(async () => {
  tdb = await startTestDatabase();
  db = tdb.client.db(tdb.dbName);
});

afterAll(async () => {
  await tdb.close();
});

beforeEach(() => {
  counter += 1;
  coll = db.collection<AnyDoc>(`upd_${counter}`);
});

/** Inserts `doc` with _id 1, applies `update` to it, and returns the document read back without _id. */
async function applied(
  doc: Document,
  update: Document | Document[],
  options: Document = {},
): Promise<Document> {
  await coll.insertOne({ _id: 1, ...doc });
  await coll.updateOne({ _id: 1 }, update, options);
  const { _id, ...rest } = (await coll.findOne({ _id: 1 })) ?? {};
  expect(_id).toBe(1);
  return rest;
}

describe('field update operators', () => {
  it('$set creates nested paths and replaces values', async () => {
    expect(await applied({ a: 1, b: { c: 1 } }, { $set: { a: 2, 'b.d': 3, 'x.y.z': true } })).toEqual({
      a: 2,
      b: { c: 1, d: 3 },
      x: { y: { z: true } },
    });
  });

  it('$unset removes fields, including nested ones', async () => {
    expect(
      await applied({ a: 1, b: { c: 1, d: 2 }, e: 3 }, { $unset: { a: '', 'b.c': 1, missing: 1 } }),
    ).toEqual({
      b: { d: 2 },
      e: 3,
    });
  });

  it('$inc adds, creating missing fields, keeping integer types', async () => {
    await coll.insertOne({ _id: 1, n: 5, f: 1.5 });
    await coll.updateOne({ _id: 1 }, { $inc: { n: 2, f: 1, m: -3 } } as Document);
    const doc = await coll.findOne({ _id: 1 } as Document, { promoteValues: false });
    expect(doc?.n).toEqual(new Int32(7));
    expect(doc?.f).toEqual(new Double(2.5));
    expect(doc?.m).toEqual(new Int32(-3));
  });

  it('$inc refuses a non-numeric field with TypeMismatch (14)', async () => {
    await coll.insertOne({ _id: 1, s: 'text' });
    await expectServerError(coll.updateOne({ _id: 1 }, { $inc: { s: 1 } } as Document), 14);
  });

  it('$mul multiplies, setting a missing field to 0', async () => {
    expect(await applied({ p: 10 }, { $mul: { p: 3, q: 5 } })).toEqual({ p: 30, q: 0 });
  });

  it('$min lowers and $max raises', async () => {
    expect(await applied({ lo: 5, hi: 5, keep: 1 }, { $min: { lo: 3, keep: 4 }, $max: { hi: 9 } })).toEqual({
      lo: 3,
      hi: 9,
      keep: 1,
    });
  });

  it('$rename moves a field, also into an embedded document', async () => {
    expect(
      await applied({ a: 1, b: 2, n: { x: 1 } }, { $rename: { a: 'z', 'n.x': 'n.y', missing: 'w' } }),
    ).toEqual({
      b: 2,
      z: 1,
      n: { y: 1 },
    });
  });

  it('$currentDate sets a date or a timestamp', async () => {
    const before = Date.now();
    const doc = await applied(
      { a: 1 },
      { $currentDate: { d: true, t: { $type: 'timestamp' }, d2: { $type: 'date' } } },
    );
    expect(doc.d).toBeInstanceOf(Date);
    expect(doc.d2).toBeInstanceOf(Date);
    expect((doc.d as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(doc.t).toBeInstanceOf(Timestamp);
  });

  it('$set past the end of an array pads with null; $unset of an element leaves null', async () => {
    expect(await applied({ a: [1], b: [1, 2, 3] }, { $set: { 'a.3': 4 }, $unset: { 'b.1': '' } })).toEqual({
      a: [1, null, null, 4],
      b: [1, null, 3],
    });
  });

  it('$inc promotes a 32-bit integer that overflows to a 64-bit one and keeps Decimal128 decimal', async () => {
    await coll.insertOne({ _id: 1, i: 2147483647, d: Decimal128.fromString('0.1') });
    await coll.updateOne({ _id: 1 }, { $inc: { i: 1, d: Decimal128.fromString('0.2') } } as Document);
    const doc = await coll.findOne({ _id: 1 }, { promoteValues: false, promoteLongs: false });
    expect(doc?.i).toBeInstanceOf(Long);
    expect(String(doc?.i)).toBe('2147483648');
    expect(doc?.d).toBeInstanceOf(Decimal128);
    expect(String(doc?.d)).toBe('0.3');
  });

  it('keeps existing fields in place and appends new ones', async () => {
    await coll.insertOne({ _id: 1, b: 1, a: 2 });
    await coll.updateOne({ _id: 1 }, { $set: { a: 3, c: 1 } });
    expect(Object.keys((await coll.findOne({ _id: 1 })) ?? {})).toEqual(['_id', 'b', 'a', 'c']);
  });

  it('refuses an unknown update operator', async () => {
    await coll.insertOne({ _id: 1 });
    await expectRejection(coll.updateOne({ _id: 1 }, { $foo: { a: 1 } }));
  });

  it('refuses two operators on the same path with ConflictingUpdateOperators (40)', async () => {
    await coll.insertOne({ _id: 1, a: 1 });
    await expectServerError(coll.updateOne({ _id: 1 }, { $set: { a: 2 }, $inc: { a: 1 } } as Document), 40);
  });
});

describe('array update operators', () => {
  it('$push appends one value, or several with $each', async () => {
    expect(await applied({ a: [1] }, { $push: { a: 2, b: 'new' } })).toEqual({ a: [1, 2], b: ['new'] });
    await coll.updateOne({ _id: 1 }, { $push: { a: { $each: [3, 4] } } } as Document);
    expect((await coll.findOne({ _id: 1 }))?.a).toEqual([1, 2, 3, 4]);
  });

  it('$push with $position, $sort and $slice', async () => {
    expect(await applied({ a: [1, 2] }, { $push: { a: { $each: [9], $position: 0 } } })).toEqual({
      a: [9, 1, 2],
    });
    await coll.updateOne({ _id: 1 }, { $push: { a: { $each: [5, 0], $sort: -1, $slice: 3 } } } as Document);
    expect((await coll.findOne({ _id: 1 }))?.a).toEqual([9, 5, 2]);
    await coll.updateOne({ _id: 1 }, { $push: { a: { $each: [], $slice: -2 } } } as Document);
    expect((await coll.findOne({ _id: 1 }))?.a).toEqual([5, 2]);
  });

  it('$push with $sort on a field of embedded documents', async () => {
    const doc = await applied(
      { q: [{ s: 3 }, { s: 1 }] },
      { $push: { q: { $each: [{ s: 2 }], $sort: { s: 1 }, $slice: -2 } } },
    );
    expect(doc).toEqual({ q: [{ s: 2 }, { s: 3 }] });
  });

  it('$addToSet adds only missing values, also with $each', async () => {
    expect(await applied({ t: ['a', 'b'] }, { $addToSet: { t: 'a' } })).toEqual({ t: ['a', 'b'] });
    await coll.updateOne({ _id: 1 }, { $addToSet: { t: { $each: ['b', 'c', 'c', 'd'] } } } as Document);
    expect((await coll.findOne({ _id: 1 }))?.t).toEqual(['a', 'b', 'c', 'd']);
  });

  it('$pop removes the last (1) or first (-1) element', async () => {
    expect(await applied({ a: [1, 2, 3], b: [1, 2, 3] }, { $pop: { a: 1, b: -1 } })).toEqual({
      a: [1, 2],
      b: [2, 3],
    });
  });

  it('$pull removes values and documents matching a condition', async () => {
    expect(
      await applied(
        {
          n: [1, 5, 8, 10, 5],
          d: [
            { k: 1, v: 'x' },
            { k: 2, v: 'y' },
          ],
        },
        { $pull: { n: { $gte: 8 }, d: { k: 2 } } },
      ),
    ).toEqual({ n: [1, 5, 5], d: [{ k: 1, v: 'x' }] });
  });

  it('$pullAll removes every listed value', async () => {
    expect(await applied({ a: [0, 2, 5, 5, 1, 0] }, { $pullAll: { a: [0, 5] } })).toEqual({ a: [2, 1] });
  });

  it('positional $ updates the first matching element', async () => {
    await coll.insertOne({ _id: 1, grades: [80, 85, 80] });
    await coll.updateOne({ _id: 1, grades: 80 }, { $set: { 'grades.$': 82 } });
    expect((await coll.findOne({ _id: 1 }))?.grades).toEqual([82, 85, 80]);
  });

  it('positional $ inside arrays of documents', async () => {
    await coll.insertOne({
      _id: 1,
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 1 },
      ],
    });
    await coll.updateOne({ _id: 1, 'items.sku': 'b' }, { $inc: { 'items.$.qty': 4 } } as Document);
    expect((await coll.findOne({ _id: 1 }))?.items).toEqual([
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 5 },
    ]);
  });

  it('$[] updates every element', async () => {
    expect(await applied({ g: [1, 2, 3] }, { $inc: { 'g.$[]': 10 } })).toEqual({ g: [11, 12, 13] });
  });

  it('$[identifier] updates the elements selected by arrayFilters', async () => {
    expect(
      await applied(
        { g: [95, 102, 90, 150] },
        { $set: { 'g.$[big]': 100 } },
        { arrayFilters: [{ big: { $gte: 100 } }] },
      ),
    ).toEqual({ g: [95, 100, 90, 100] });
  });

  it('arrayFilters on fields of embedded documents', async () => {
    const doc = await applied(
      {
        items: [
          { k: 'a', n: 1 },
          { k: 'b', n: 2 },
          { k: 'a', n: 3 },
        ],
      },
      { $set: { 'items.$[e].n': 0 } },
      { arrayFilters: [{ 'e.k': 'a' }] },
    );
    expect(doc).toEqual({
      items: [
        { k: 'a', n: 0 },
        { k: 'b', n: 2 },
        { k: 'a', n: 0 },
      ],
    });
  });
});

describe('update forms', () => {
  it('replaces a whole document, keeping its _id', async () => {
    await coll.insertOne({ _id: 1, a: 1, b: 2 });
    const result = await coll.replaceOne({ _id: 1 }, { c: 3 });
    expect(result.matchedCount).toBe(1);
    expect(result.modifiedCount).toBe(1);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
  });

  it('updates many documents, counting matched and modified separately', async () => {
    await coll.insertMany([
      { _id: 1, g: 'a', v: 1 },
      { _id: 2, g: 'a', v: 2 },
      { _id: 3, g: 'b', v: 1 },
    ]);
    const result = await coll.updateMany({ g: 'a' }, { $set: { v: 2 } });
    expect(result.matchedCount).toBe(2);
    expect(result.modifiedCount).toBe(1); // _id 2 already had v: 2
    const one = await coll.updateOne({ g: 'b' }, { $set: { v: 9 } });
    expect(one.matchedCount).toBe(1);
    expect(await coll.countDocuments({ v: 2 })).toBe(2);
  });

  it('upserts with fields from the equality filter and $setOnInsert', async () => {
    const result = await coll.updateOne(
      { name: 'x', n: { $gt: 5 } },
      { $set: { a: 1 }, $setOnInsert: { created: true } },
      { upsert: true },
    );
    expect(result.upsertedCount).toBe(1);
    expect(result.upsertedId).not.toBeNull();
    const doc = await coll.findOne({ name: 'x' }, { projection: { _id: 0 } });
    expect(doc).toEqual({ name: 'x', a: 1, created: true });

    const again = await coll.updateOne(
      { name: 'x' },
      { $set: { a: 2 }, $setOnInsert: { created: false } },
      { upsert: true },
    );
    expect(again.upsertedCount).toBe(0);
    expect(again.matchedCount).toBe(1);
    expect(await coll.findOne({ name: 'x' }, { projection: { _id: 0 } })).toEqual({
      name: 'x',
      a: 2,
      created: true,
    });
  });

  it('replaces with an empty document, keeping only _id', async () => {
    await coll.insertOne({ _id: 1, a: 1, b: { c: 2 } });
    await coll.replaceOne({ _id: 1 }, {});
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1 });
  });

  it('updateMany with upsert inserts one document when nothing matches', async () => {
    const result = await coll.updateMany({ g: 'none' }, { $set: { v: 1 } }, { upsert: true });
    expect(result.upsertedCount).toBe(1);
    expect(await coll.countDocuments({ g: 'none', v: 1 })).toBe(1);
  });

  it('upserts with a dotted equality filter into an embedded document', async () => {
    await coll.updateOne({ 'profile.name': 'n', n: 1 }, { $set: { v: true } }, { upsert: true });
    expect(await coll.findOne({}, { projection: { _id: 0 } })).toEqual({
      profile: { name: 'n' },
      n: 1,
      v: true,
    });
  });

  it('refuses $push onto a field that is not an array, leaving the document unchanged', async () => {
    await coll.insertOne({ _id: 1, a: 5 });
    await expectRejection(coll.updateOne({ _id: 1 }, { $push: { a: 1 } } as Document));
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 5 });
  });

  it('$rename onto an existing field replaces it', async () => {
    expect(await applied({ a: 1, b: 2 }, { $rename: { a: 'b' } })).toEqual({ b: 1 });
  });

  it('refuses an update that would make a document larger than 16 MiB', async () => {
    const tenMiB = new Binary(Buffer.alloc(10 * 1024 * 1024, 1));
    await coll.insertOne({ _id: 1, first: tenMiB });
    const error = await expectRejection(coll.updateOne({ _id: 1 }, { $set: { second: tenMiB } }));
    // MongoDB: 17419 "Resulting document after update is larger than 16777216" (10334 BSONObjectTooLarge on
    // some paths); never an internal error.
    expect(error).toBeInstanceOf(MongoServerError);
    expect([17419, 10334]).toContain((error as MongoServerError).code);
    const doc = await coll.findOne({ _id: 1 }, { projection: { first: 0 } });
    expect(doc).toEqual({ _id: 1 });
  });

  it('upserts a replacement, taking _id from the filter', async () => {
    const result = await coll.replaceOne({ _id: 'k' }, { v: 1 }, { upsert: true });
    expect(result.upsertedId).toBe('k');
    expect(await coll.findOne({ _id: 'k' })).toEqual({ _id: 'k', v: 1 });
  });

  it('applies an aggregation pipeline update', async () => {
    const doc = await applied({ a: 2, b: 3, tmp: 'x' }, [
      { $set: { total: { $add: ['$a', '$b'] }, label: { $concat: ['n', { $toString: '$a' }] } } },
      { $unset: 'tmp' },
    ]);
    expect(doc).toEqual({ a: 2, b: 3, total: 5, label: 'n2' });
  });

  it('refuses to change _id with ImmutableField (66)', async () => {
    await coll.insertOne({ _id: 1, a: 1 });
    await expectServerError(coll.updateOne({ _id: 1 }, { $set: { _id: 2 } }), 66);
    await expectServerError(coll.replaceOne({ _id: 1 }, { _id: 2, a: 1 }), 66);
    expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 1 });
  });
});

describe('delete', () => {
  it('deletes one (limit 1) or all matching (limit 0)', async () => {
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 1 }, { g: 2 }]);
    expect((await coll.deleteOne({ g: 1 })).deletedCount).toBe(1);
    expect(await coll.countDocuments({ g: 1 })).toBe(2);
    expect((await coll.deleteMany({ g: 1 })).deletedCount).toBe(2);
    expect(await coll.countDocuments()).toBe(1);
    const reply = await db.command({ delete: coll.collectionName, deletes: [{ q: {}, limit: 0 }] });
    expect(reply.n).toBe(1);
    expect(await coll.countDocuments()).toBe(0);
  });
});

describe('findAndModify', () => {
  beforeEach(async () => {
    await coll.insertMany([
      { _id: 1, k: 'a', n: 1 },
      { _id: 2, k: 'a', n: 2 },
      { _id: 3, k: 'b', n: 3 },
    ]);
  });

  it('findOneAndUpdate returns the document before or after, honouring sort and projection', async () => {
    const before = await coll.findOneAndUpdate({ k: 'a' }, { $inc: { n: 10 } } as Document, {
      sort: { n: -1 },
    });
    expect(before).toEqual({ _id: 2, k: 'a', n: 2 });
    const after = await coll.findOneAndUpdate({ k: 'a' }, { $inc: { n: 10 } } as Document, {
      sort: { n: 1 },
      returnDocument: 'after',
      projection: { n: 1, _id: 0 },
    });
    expect(after).toEqual({ n: 11 });
    expect(await coll.findOneAndUpdate({ k: 'zzz' }, { $set: { n: 0 } })).toBeNull();
  });

  it('findOneAndUpdate upserts and reports it in the result metadata', async () => {
    const result = await coll.findOneAndUpdate(
      { k: 'new' },
      { $set: { n: 7 } },
      { upsert: true, returnDocument: 'after', includeResultMetadata: true },
    );
    expect(result.value).toMatchObject({ k: 'new', n: 7 });
    expect(result.lastErrorObject?.updatedExisting).toBe(false);
    expect(result.lastErrorObject?.upserted).toBeDefined();
  });

  it('findOneAndReplace replaces and returns the new document', async () => {
    const after = await coll.findOneAndReplace({ _id: 3 }, { k: 'c' }, { returnDocument: 'after' });
    expect(after).toEqual({ _id: 3, k: 'c' });
  });

  it('findOneAndDelete removes the first document in sort order', async () => {
    const removed = await coll.findOneAndDelete({ k: 'a' }, { sort: { n: -1 } });
    expect(removed).toEqual({ _id: 2, k: 'a', n: 2 });
    expect(await coll.countDocuments()).toBe(2);
  });

  it('the raw command supports remove and fields', async () => {
    const reply = await db.command({
      findAndModify: coll.collectionName,
      query: { k: 'b' },
      remove: true,
      fields: { n: 1 },
    });
    expect(reply.value).toEqual({ _id: 3, n: 3 });
    expect(reply.lastErrorObject).toMatchObject({ n: 1 });
  });
});

describe('bulkWrite', () => {
  it('applies mixed operations in order and counts each kind', async () => {
    await coll.insertOne({ _id: 0, v: 0 });
    const result = await coll.bulkWrite([
      { insertOne: { document: { _id: 1, v: 1 } } },
      { updateOne: { filter: { _id: 1 }, update: { $set: { v: 2 } } } },
      { updateMany: { filter: {}, update: { $inc: { v: 1 } } } },
      { replaceOne: { filter: { _id: 0 }, replacement: { v: 'r' } } },
      { updateOne: { filter: { _id: 5 }, update: { $set: { v: 5 } }, upsert: true } },
      { deleteOne: { filter: { _id: 1 } } },
      { deleteMany: { filter: { v: 'nothing' } } },
    ] as never);
    expect(result.insertedCount).toBe(1);
    expect(result.matchedCount).toBe(4);
    expect(result.modifiedCount).toBe(4);
    expect(result.upsertedCount).toBe(1);
    expect(result.deletedCount).toBe(1);
    const docs = await coll.find().sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      { _id: 0, v: 'r' },
      { _id: 5, v: 5 },
    ]);
  });

  it('stops an ordered bulkWrite at the first error; an unordered one goes on', async () => {
    await coll.insertOne({ _id: 1 });
    const ops = [
      { insertOne: { document: { _id: 2 } } },
      { insertOne: { document: { _id: 1 } } },
      { insertOne: { document: { _id: 3 } } },
    ] as never;
    await expectRejection(coll.bulkWrite(ops, { ordered: true }));
    expect(await coll.countDocuments()).toBe(2);

    const other = db.collection<AnyDoc>(`${coll.collectionName}_u`);
    await other.insertOne({ _id: 1 });
    await expectRejection(other.bulkWrite(ops, { ordered: false }));
    expect(await other.countDocuments()).toBe(3);
  });
});
