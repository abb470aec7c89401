/**
 * BSON fidelity, MongoDB's comparison order across types, size limits, and the features a standalone server
 * refuses (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  Binary,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  MongoServerError,
  ObjectId,
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
  usingRealMongoDB,
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
  coll = db.collection<AnyDoc>(`bson_${counter}`);
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('BSON types round-trip exactly', () => {
  it('keeps every scalar type, read back without promotion', async () => {
    const oid = new ObjectId();
    const date = new Date('2024-02-29T12:34:56.789Z');
    const doc = {
      _id: 1,
      oid,
      date,
      int: new Int32(42),
      long: Long.fromString('9007199254740993'),
      negLong: Long.fromString('-9223372036854775808'),
      double: new Double(5),
      fraction: new Double(0.1),
      decimal: Decimal128.fromString('1234.5678901234567890123456789'),
      bin: new Binary(Buffer.from([0, 1, 2, 255])),
      uuid: new Binary(Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), Binary.SUBTYPE_UUID),
      str: 'héllo ✓',
      bool: false,
      nul: null,
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: 1 } as Document, { promoteValues: false, promoteLongs: false });
    expect(back).not.toBeNull();
    const got = back as Document;
    expect(got.oid).toBeInstanceOf(ObjectId);
    expect((got.oid as ObjectId).equals(oid)).toBe(true);
    expect(got.date).toBeInstanceOf(Date);
    expect((got.date as Date).getTime()).toBe(date.getTime());
    expect(got.int).toBeInstanceOf(Int32);
    expect((got.int as Int32).value).toBe(42);
    expect(got.long).toBeInstanceOf(Long);
    expect((got.long as Long).toString()).toBe('9007199254740993');
    expect((got.negLong as Long).toString()).toBe('-9223372036854775808');
    expect(got.double).toBeInstanceOf(Double);
    expect((got.double as Double).value).toBe(5);
    expect((got.fraction as Double).value).toBe(0.1);
    expect(got.decimal).toBeInstanceOf(Decimal128);
    expect((got.decimal as Decimal128).toString()).toBe('1234.5678901234567890123456789');
    expect(got.bin).toBeInstanceOf(Binary);
    expect((got.bin as Binary).sub_type).toBe(0);
    expect(Buffer.from((got.bin as Binary).buffer)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect((got.uuid as Binary).sub_type).toBe(Binary.SUBTYPE_UUID);
    expect(Buffer.from((got.uuid as Binary).buffer).toString('hex')).toBe('0123456789abcdef0123456789abcdef');
    expect(got.str).toBe('héllo ✓');
    expect(got.bool).toBe(false);
    expect(got.nul).toBeNull();
  });

  it('keeps timestamps, regular expressions, MinKey and MaxKey', async () => {
    const ts = new Timestamp({ t: 1_700_000_000, i: 7 });
    await coll.insertOne({ _id: 1, ts, re: /ab+c/im, min: new MinKey(), max: new MaxKey() });
    const back = await coll.findOne({ _id: 1 });
    expect(back?.ts).toBeInstanceOf(Timestamp);
    expect((back?.ts as Timestamp).equals(ts)).toBe(true);
    expect(back?.re).toBeInstanceOf(RegExp);
    expect((back?.re as RegExp).source).toBe('ab+c');
    expect((back?.re as RegExp).flags).toBe('im');
    expect(back?.min).toBeInstanceOf(MinKey);
    expect(back?.max).toBeInstanceOf(MaxKey);
  });

  it('keeps new Double(5) a double and a plain integer an int32, as $type sees them', async () => {
    await coll.insertMany([
      { _id: 'd', v: new Double(5) },
      { _id: 'i', v: 5 },
      { _id: 'l', v: Long.fromNumber(5) },
      { _id: 'm', v: Decimal128.fromString('5') },
    ]);
    const byType = async (type: string): Promise<unknown[]> =>
      (
        await coll
          .find({ v: { $type: type } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id);
    expect(await byType('double')).toEqual(['d']);
    expect(await byType('int')).toEqual(['i']);
    expect(await byType('long')).toEqual(['l']);
    expect(await byType('decimal')).toEqual(['m']);
    // Equality compares numbers by value across types.
    expect((await coll.find({ v: 5 }).toArray()).length).toBe(4);
  });

  it('keeps the exact type of every number through an update that does not touch it', async () => {
    await coll.insertOne({ _id: 1, d: new Double(2), l: Long.fromNumber(3), other: 1 });
    await coll.updateOne({ _id: 1 }, { $set: { other: 2 } });
    const back = await coll.findOne({ _id: 1 } as Document, { promoteValues: false });
    expect(back?.d).toBeInstanceOf(Double);
    expect(back?.l).toBeInstanceOf(Long);
  });

  it('keeps a 5 MB binary byte for byte', async () => {
    const bytes = randomBytes(5 * 1024 * 1024);
    await coll.insertOne({ _id: 'blob', data: new Binary(bytes) });
    const back = await coll.findOne({ _id: 'blob' });
    const data = back?.data as Binary;
    expect(data).toBeInstanceOf(Binary);
    expect(data.length()).toBe(bytes.length);
    expect(sha256(data.buffer)).toBe(sha256(bytes));
  });

  it('keeps nested documents and arrays, and the order of fields', async () => {
    const doc = {
      _id: 1,
      z: 1,
      a: { y: [1, { x: [[2, 3], []] }], b: {} },
      m: [null, 'two', { deep: { deeper: { deepest: true } } }],
    };
    await coll.insertOne(doc);
    const back = await coll.findOne({ _id: 1 });
    expect(back).toEqual(doc);
    expect(Object.keys(back ?? {})).toEqual(['_id', 'z', 'a', 'm']);
  });

  it('distinguishes null from a missing field', async () => {
    await coll.insertMany([{ _id: 'null', v: null }, { _id: 'missing' }]);
    const nullDoc = await coll.findOne({ _id: 'null' });
    const missingDoc = await coll.findOne({ _id: 'missing' });
    expect(nullDoc).toHaveProperty('v', null);
    expect(missingDoc).not.toHaveProperty('v');
  });
});

describe("MongoDB's comparison order", () => {
  it('sorts values of different types in the documented order', async () => {
    // MinKey < null/missing < numbers < string < object < array < binary < ObjectId < boolean < Date < regex < MaxKey
    const values: [string, unknown][] = [
      ['01maxKey', new MaxKey()],
      ['02regex', /abc/],
      ['03date', new Date(0)],
      ['04bool', true],
      ['05oid', new ObjectId('000000000000000000000000')],
      ['06bin', new Binary(Buffer.from([1]))],
      ['07object', { a: 1 }],
      ['08string', 'a'],
      ['09number', 7],
      ['10null', null],
      ['11minKey', new MinKey()],
    ];
    await coll.insertMany(values.map(([_id, v]) => ({ _id, v })));
    await coll.insertOne({ _id: '12missing' });
    const asc = (await coll.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    expect(asc).toEqual([
      '11minKey',
      '10null',
      '12missing',
      '09number',
      '08string',
      '07object',
      '06bin',
      '05oid',
      '04bool',
      '03date',
      '02regex',
      '01maxKey',
    ]);
    const desc = (
      await coll
        .find({ v: { $exists: true } })
        .sort({ v: -1 })
        .toArray()
    ).map((d) => d._id);
    expect(desc[0]).toBe('01maxKey');
    expect(desc.at(-1)).toBe('11minKey');
  });

  it('sorts numbers of every numeric type by value', async () => {
    await coll.insertMany([
      { _id: 'long4', v: Long.fromNumber(4) },
      { _id: 'int3', v: new Int32(3) },
      { _id: 'dec3.5', v: Decimal128.fromString('3.5') },
      { _id: 'dbl2.5', v: new Double(2.5) },
      { _id: 'dblNeg', v: new Double(-1e300) },
    ]);
    const asc = (await coll.find().sort({ v: 1 }).toArray()).map((d) => d._id);
    expect(asc).toEqual(['dblNeg', 'dbl2.5', 'int3', 'dec3.5', 'long4']);
  });

  it('compares strings by binary order and dates by time', async () => {
    await coll.insertMany([
      { _id: 1, s: 'b', d: new Date(2000) },
      { _id: 2, s: 'B', d: new Date(1000) },
      { _id: 3, s: 'a', d: new Date(3000) },
    ]);
    expect((await coll.find().sort({ s: 1 }).toArray()).map((d) => d._id)).toEqual([2, 3, 1]);
    expect((await coll.find().sort({ d: 1 }).toArray()).map((d) => d._id)).toEqual([2, 1, 3]);
    expect(
      (
        await coll
          .find({ d: { $gt: new Date(1500) } })
          .sort({ _id: 1 })
          .toArray()
      ).map((d) => d._id),
    ).toEqual([1, 3]);
  });
});

describe('limits and refusals', () => {
  it('accepts a document just under 16 MiB', async () => {
    const bytes = randomBytes(16 * 1024 * 1024 - 1024);
    await coll.insertOne({ _id: 'big', data: new Binary(bytes) });
    const back = await coll.findOne({ _id: 'big' });
    expect(sha256((back?.data as Binary).buffer)).toBe(sha256(bytes));
  });

  it('refuses a document over 16 MiB and keeps serving', async () => {
    const tooBig = { _id: 'huge', data: new Binary(Buffer.alloc(17 * 1024 * 1024, 7)) };
    await expectRejection(coll.insertOne(tooBig));
    await expectRejection(db.command({ insert: coll.collectionName, documents: [tooBig] }));
    expect(await coll.countDocuments()).toBe(0);
    await expect(db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });

  it('refuses an unknown query operator with BadValue (2)', async () => {
    await coll.insertOne({ a: 1 });
    const error = await expectServerError(coll.findOne({ a: { $bogus: 1 } }), 2);
    expect(error.codeName).toBe('BadValue');
    await expectServerError(coll.countDocuments({ a: { $bogus: 1 } }), 2);
    await expectServerError(coll.deleteMany({ a: { $bogus: 1 } }), 2);
  });

  it('refuses transactions with a clear error', async () => {
    const session = tdb.client.startSession();
    try {
      session.startTransaction();
      const readError = await expectRejection(coll.findOne({}, { session }));
      expect(readError).toBeInstanceOf(MongoServerError);
      if (!usingRealMongoDB) expect(readError.message).toMatch(/not supported/i);
      // On a write, the driver replaces the server's message for code 20 (IllegalOperation) with its own
      // advice about retryable writes and keeps the server's error as originalError.
      const writeError = await expectRejection(coll.insertOne({ a: 1 }, { session }));
      expect(writeError).toBeInstanceOf(MongoServerError);
      const original = (writeError as MongoServerError & { originalError?: Error }).originalError;
      if (!usingRealMongoDB)
        expect(`${writeError.message} ${original?.message ?? ''}`).toMatch(/not supported/i);
      await session.abortTransaction().catch(() => undefined);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments()).toBe(0);
  });

  it('refuses change streams with a clear error', async () => {
    await coll.insertOne({ a: 1 });
    const stream = coll.watch();
    try {
      const error = await expectRejection(stream.tryNext());
      expect(error).toBeInstanceOf(MongoServerError);
      if (!usingRealMongoDB) expect(error.message).toMatch(/not supported/i);
    } finally {
      await stream.close();
    }
  });
});
