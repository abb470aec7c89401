/**
 * insert and find: bulk inserts with per-document write errors, query operators, projection, sort, skip and
 * limit (https://www.mongodb.com/docs/manual/reference/operator/query/).
 */
import {
  MongoBulkWriteError,
  ObjectId,
  type WriteError,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectRejection,
  expectServerError,
  startTestDatabase,
  usingRealMongoDB,
  type AnyDoc,
  type TestDatabase,
} from '../helpers';

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  tdb = await startTestDatabase();
  db = tdb.client.db(tdb.dbName);
});

afterAll(async () => {
  await tdb.close();
});

function toArray(errors: WriteError | readonly WriteError[]): WriteError[] {
  return (Array.isArray(errors) ? errors : [errors]) as WriteError[];
}

async function bulkError(promise: Promise<unknown>): Promise<MongoBulkWriteError> {
  const error = await expectRejection(promise);
  expect(error).toBeInstanceOf(MongoBulkWriteError);
  return error as MongoBulkWriteError;
}

describe('insert', () => {
  it('inserts one document and returns its _id', async () => {
    const coll = db.collection<AnyDoc>('ins_one');
    const result = await coll.insertOne({ name: 'Ada' });
    expect(result.acknowledged).toBe(true);
    expect(result.insertedId).toBeInstanceOf(ObjectId);
    const found = await coll.findOne({ _id: result.insertedId });
    expect(found).toEqual({ _id: result.insertedId, name: 'Ada' });
  });

  it('adds an ObjectId _id, first in the document, when the client sends none', async () => {
    await db.command({ insert: 'ins_raw', documents: [{ a: 1 }] });
    const found = await db.collection<AnyDoc>('ins_raw').findOne({ a: 1 });
    expect(found?._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(found ?? {})[0]).toBe('_id');
  });

  it('stops an ordered bulk insert at the first duplicate, reporting its index', async () => {
    const coll = db.collection<AnyDoc>('ins_ordered');
    const error = await bulkError(
      coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }], { ordered: true }),
    );
    const writeErrors = toArray(error.writeErrors);
    expect(writeErrors).toHaveLength(1);
    expect(writeErrors[0]?.index).toBe(2);
    expect(writeErrors[0]?.code).toBe(11000);
    expect(error.insertedCount).toBe(2);
    const ids = (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([1, 2]);
  });

  it('continues an unordered bulk insert past duplicates, reporting each one', async () => {
    const coll = db.collection<AnyDoc>('ins_unordered');
    const error = await bulkError(
      coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], { ordered: false }),
    );
    const writeErrors = toArray(error.writeErrors);
    expect(writeErrors.map((e) => e.index).sort()).toEqual([1, 3]);
    for (const e of writeErrors) expect(e.code).toBe(11000);
    expect(error.insertedCount).toBe(3);
    const ids = (await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([1, 2, 3]);
  });

  it('refuses an array as _id', async () => {
    await expectRejection(db.collection<AnyDoc>('ins_bad_id').insertOne({ _id: [1, 2] }));
    expect(await db.collection('ins_bad_id').countDocuments()).toBe(0);
  });

  it('reports per-document write errors in the raw insert reply', async () => {
    await db.collection<AnyDoc>('ins_reply').insertOne({ _id: 'x' });
    const reply = await db.command({
      insert: 'ins_reply',
      documents: [{ _id: 'a' }, { _id: 'x' }, { _id: 'b' }],
      ordered: false,
    });
    expect(reply.ok).toBe(1);
    expect(reply.n).toBe(2);
    expect(reply.writeErrors).toHaveLength(1);
    const writeErrors = reply.writeErrors as Document[];
    expect(writeErrors[0]).toMatchObject({ index: 1, code: 11000 });
    expect(typeof writeErrors[0]?.errmsg).toBe('string');
  });
});

describe('find with query operators', () => {
  let coll: Collection<AnyDoc>;

  beforeAll(async () => {
    coll = db.collection<AnyDoc>('people');
    await coll.insertMany([
      {
        _id: 1,
        name: 'alice',
        age: 30,
        tags: ['a', 'b'],
        scores: [80, 90],
        address: { city: 'Paris', zip: '75001' },
      },
      { _id: 2, name: 'Albert', age: 25, tags: ['b', 'c'], scores: [70, 85], address: { city: 'Lyon' } },
      { _id: 3, name: 'bob', age: 40, tags: ['c'], scores: [95], nick: null },
      {
        _id: 4,
        name: 'carol',
        age: '35',
        tags: [],
        items: [
          { sku: 'x', qty: 1 },
          { sku: 'y', qty: 5 },
        ],
      },
      { _id: 5, name: 'dave', age: 50.5, items: [{ sku: 'y', qty: 2 }], address: { city: 'Paris' } },
    ]);
  });

  async function ids(filter: Document): Promise<unknown[]> {
    return (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
  }

  it('matches equality, including an element of an array and a whole array', async () => {
    expect(await ids({ name: 'bob' })).toEqual([3]);
    expect(await ids({ tags: 'b' })).toEqual([1, 2]);
    expect(await ids({ tags: ['b', 'c'] })).toEqual([2]);
    expect(await ids({ address: { city: 'Lyon' } })).toEqual([2]);
  });

  it('compares only within the same type bracket ($gt, $lt, $gte, $lte, $ne)', async () => {
    expect(await ids({ age: { $gt: 28 } })).toEqual([1, 3, 5]); // '35' is a string
    expect(await ids({ age: { $lt: 30 } })).toEqual([2]);
    expect(await ids({ age: { $gte: 30, $lte: 40 } })).toEqual([1, 3]);
    expect(await ids({ age: { $gt: '' } })).toEqual([4]);
    expect(await ids({ name: { $ne: 'bob' } })).toEqual([1, 2, 4, 5]);
  });

  it('matches $in and $nin (including a regex inside $in)', async () => {
    expect(await ids({ name: { $in: ['bob', 'carol', 'nobody'] } })).toEqual([3, 4]);
    expect(await ids({ tags: { $in: ['a', 'c'] } })).toEqual([1, 2, 3]);
    expect(await ids({ name: { $in: [/^al/i] } })).toEqual([1, 2]);
    expect(await ids({ name: { $nin: ['bob', 'carol'] } })).toEqual([1, 2, 5]);
  });

  it('distinguishes null from missing with $exists and $type', async () => {
    expect(await ids({ nick: null })).toEqual([1, 2, 3, 4, 5]); // null matches missing too
    expect(await ids({ nick: { $exists: true } })).toEqual([3]);
    expect(await ids({ nick: { $exists: false } })).toEqual([1, 2, 4, 5]);
    expect(await ids({ nick: { $type: 'null' } })).toEqual([3]);
  });

  it('matches $type by alias, by number and by "number"', async () => {
    expect(await ids({ age: { $type: 'string' } })).toEqual([4]);
    expect(await ids({ age: { $type: 'double' } })).toEqual([5]);
    expect(await ids({ age: { $type: 16 } })).toEqual([1, 2, 3]); // 32-bit integer
    expect(await ids({ age: { $type: 'number' } })).toEqual([1, 2, 3, 5]);
    expect(await ids({ age: { $type: ['string', 'double'] } })).toEqual([4, 5]);
  });

  it('matches $regex with options and a JavaScript RegExp', async () => {
    expect(await ids({ name: { $regex: '^al', $options: 'i' } })).toEqual([1, 2]);
    expect(await ids({ name: { $regex: '^al' } })).toEqual([1]);
    expect(await ids({ name: /O/i })).toEqual([3, 4]);
  });

  it('matches $elemMatch on scalars and on embedded documents', async () => {
    expect(await ids({ scores: { $elemMatch: { $gte: 82, $lt: 88 } } })).toEqual([2]);
    expect(await ids({ items: { $elemMatch: { sku: 'y', qty: { $gt: 3 } } } })).toEqual([4]);
    // Without $elemMatch, conditions may be met by different elements.
    expect(await ids({ 'items.sku': 'x', 'items.qty': 5 })).toEqual([4]);
  });

  it('matches $all and $size', async () => {
    expect(await ids({ tags: { $all: ['b', 'c'] } })).toEqual([2]);
    expect(await ids({ tags: { $all: ['b'] } })).toEqual([1, 2]);
    expect(await ids({ tags: { $size: 0 } })).toEqual([4]);
    expect(await ids({ tags: { $size: 2 } })).toEqual([1, 2]);
  });

  it('matches $and, $or, $nor and $not', async () => {
    expect(await ids({ $and: [{ tags: 'b' }, { age: { $gt: 26 } }] })).toEqual([1]);
    expect(await ids({ $or: [{ name: 'bob' }, { age: { $lt: 26 } }] })).toEqual([2, 3]);
    expect(await ids({ $nor: [{ name: 'bob' }, { tags: 'b' }] })).toEqual([4, 5]);
    expect(await ids({ age: { $not: { $gt: 28 } } })).toEqual([2, 4]); // includes the non-number
    expect(await ids({ name: { $not: /^a/ } })).toEqual([2, 3, 4, 5]);
  });

  it('follows dot paths into embedded documents and arrays, and array indexes', async () => {
    expect(await ids({ 'address.city': 'Paris' })).toEqual([1, 5]);
    expect(await ids({ 'items.sku': 'y' })).toEqual([4, 5]);
    expect(await ids({ 'items.qty': { $gt: 4 } })).toEqual([4]);
    expect(await ids({ 'scores.0': { $gte: 80 } })).toEqual([1, 3]);
    expect(await ids({ 'items.1.sku': 'y' })).toEqual([4]);
    expect(await ids({ 'address.zip': { $exists: true } })).toEqual([1]);
  });

  it('matches null in $in against missing fields, and regexes against array elements', async () => {
    expect(await ids({ nick: { $in: [null] } })).toEqual([1, 2, 3, 4, 5]);
    expect(await ids({ tags: /^c/ })).toEqual([2, 3]);
    expect(await ids({ 'tags.1': { $exists: true } })).toEqual([1, 2]);
    expect(await ids({ scores: { $gt: 90 } })).toEqual([3]);
    expect(await ids({ scores: { $gt: 82, $lt: 88 } })).toEqual([1, 2]); // 90 > 82 and 80 < 88 in doc 1
  });

  it('matches $ne: null, $type: "array", $mod and $size on non-arrays', async () => {
    expect(await ids({ nick: { $ne: null } })).toEqual([]);
    expect(await ids({ tags: { $type: 'array' } })).toEqual([1, 2, 3, 4]);
    expect(await ids({ age: { $mod: [20, 5] } })).toEqual([2]); // 25 % 20 === 5; '35' is a string
    expect(await ids({ name: { $size: 1 } })).toEqual([]);
  });

  it('matches $expr comparing two fields', async () => {
    await db.collection<AnyDoc>('expr').insertMany([
      { _id: 1, spent: 10, budget: 20 },
      { _id: 2, spent: 30, budget: 20 },
    ]);
    const over = await db
      .collection<AnyDoc>('expr')
      .find({ $expr: { $gt: ['$spent', '$budget'] } })
      .toArray();
    expect(over.map((d) => d._id)).toEqual([2]);
  });

  it('matches an array against an element of a nested array', async () => {
    await db.collection<AnyDoc>('nested_arrays').insertMany([
      { _id: 1, m: [[1, 2], [3]] },
      { _id: 2, m: [1, 2] },
    ]);
    const found = await db
      .collection<AnyDoc>('nested_arrays')
      .find({ m: [1, 2] })
      .sort({ _id: 1 })
      .toArray();
    expect(found.map((d) => d._id)).toEqual([1, 2]);
  });

  it('refuses an unknown query operator with BadValue (2)', async () => {
    await expectServerError(coll.find({ age: { $foo: 1 } }).toArray(), 2);
    await expectServerError(coll.find({ $foo: [{ age: 1 }] }).toArray(), 2);
  });

  // MongoDB runs $where when JavaScript is enabled; the embedded server must never run code it receives.
  it.skipIf(usingRealMongoDB)('refuses server-side JavaScript ($where)', async () => {
    await expectRejection(coll.find({ $where: 'this.age > 1' }).toArray());
  });
});

describe('projection, sort, skip and limit', () => {
  let coll: Collection<AnyDoc>;

  beforeAll(async () => {
    coll = db.collection<AnyDoc>('shaped');
    await coll.insertMany([
      { _id: 1, a: 3, b: 'x', sub: { c: 1, d: 2 }, arr: [1, 2, 3, 4], list: [{ k: 1 }, { k: 2 }] },
      { _id: 2, a: 1, b: 'y', sub: { c: 3, d: 4 }, arr: [5], list: [{ k: 3 }] },
      { _id: 3, a: 2, b: 'x', sub: { c: 5, d: 6 }, arr: [], list: [] },
      { _id: 4, a: 2, b: 'z' },
    ]);
  });

  it('includes fields, keeping _id unless excluded', async () => {
    expect(await coll.findOne({ _id: 1 }, { projection: { a: 1 } })).toEqual({ _id: 1, a: 3 });
    expect(await coll.findOne({ _id: 1 }, { projection: { a: 1, _id: 0 } })).toEqual({ a: 3 });
    expect(await coll.findOne({ _id: 1 }, { projection: { 'sub.c': 1 } })).toEqual({ _id: 1, sub: { c: 1 } });
  });

  it('excludes fields', async () => {
    expect(await coll.findOne({ _id: 2 }, { projection: { sub: 0, arr: 0, list: 0 } })).toEqual({
      _id: 2,
      a: 1,
      b: 'y',
    });
    expect(await coll.findOne({ _id: 2 }, { projection: { 'sub.d': 0, arr: 0, list: 0, b: 0 } })).toEqual({
      _id: 2,
      a: 1,
      sub: { c: 3 },
    });
  });

  it('projects $slice and $elemMatch on arrays', async () => {
    expect(await coll.findOne({ _id: 1 }, { projection: { arr: { $slice: 2 }, _id: 0, a: 1 } })).toEqual({
      a: 3,
      arr: [1, 2],
    });
    expect(await coll.findOne({ _id: 1 }, { projection: { list: { $elemMatch: { k: 2 } } } })).toEqual({
      _id: 1,
      list: [{ k: 2 }],
    });
  });

  it('projects $slice with [skip, limit] and negative counts', async () => {
    expect(await coll.findOne({ _id: 1 }, { projection: { arr: { $slice: [1, 2] }, a: 1, _id: 0 } })).toEqual(
      {
        a: 3,
        arr: [2, 3],
      },
    );
    expect(await coll.findOne({ _id: 1 }, { projection: { arr: { $slice: -1 }, a: 1, _id: 0 } })).toEqual({
      a: 3,
      arr: [4],
    });
  });

  it('projects the first array element matching the query with the positional $', async () => {
    expect(await coll.findOne({ _id: 1, arr: { $gte: 3 } }, { projection: { 'arr.$': 1 } })).toEqual({
      _id: 1,
      arr: [3],
    });
  });

  it('refuses a projection mixing inclusion and exclusion', async () => {
    await expectRejection(coll.findOne({ _id: 1 }, { projection: { a: 1, b: 0 } }));
  });

  it('sorts on several keys and directions', async () => {
    const docs = await coll
      .find({}, { projection: { a: 1, b: 1 } })
      .sort({ b: 1, a: -1 })
      .toArray();
    expect(docs.map((d) => d._id)).toEqual([1, 3, 2, 4]);
    const byA = await coll.find().sort({ a: -1, _id: 1 }).toArray();
    expect(byA.map((d) => d._id)).toEqual([1, 3, 4, 2]);
  });

  it('sorts an array field by its smallest element ascending and largest descending', async () => {
    const asc = await coll
      .find({ arr: { $exists: true } })
      .sort({ arr: 1, _id: 1 })
      .toArray();
    // [] sorts before everything (as undefined/null-like), then min elements 1 and 5.
    expect(asc.map((d) => d._id)).toEqual([3, 1, 2]);
    const desc = await coll
      .find({ arr: { $exists: true } })
      .sort({ arr: -1, _id: 1 })
      .toArray();
    expect(desc.map((d) => d._id)).toEqual([2, 1, 3]);
  });

  it('applies skip and limit after sort', async () => {
    const docs = await coll.find().sort({ _id: 1 }).skip(1).limit(2).toArray();
    expect(docs.map((d) => d._id)).toEqual([2, 3]);
    expect(await coll.find().sort({ _id: 1 }).skip(10).toArray()).toEqual([]);
    expect((await coll.find().limit(0).toArray()).length).toBe(4);
  });
});
