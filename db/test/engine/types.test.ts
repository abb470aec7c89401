import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  type Document,
} from 'bson';
import { describe, expect, test } from 'vitest';
import { freshEngine } from './engine-fixture';

function exactTypes(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(exactTypes);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Document).map(([k, x]) => [k, exactTypes(x)]));
  }
  if (v === null) return 'null';
  if (v instanceof Binary) return `Binary(${v.sub_type}):${v.toString('base64')}`;
  if (v instanceof BSONRegExp) return `BSONRegExp:/${v.pattern}/${v.options}`;
  if (v instanceof Date) return `Date:${v.getTime()}`;
  if (typeof v === 'object') return `${v.constructor.name}:${JSON.stringify(v)}`;
  return `${typeof v}:${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)}`;
}

describe('type fidelity', () => {
  const sample = (): Document => ({
    _id: new ObjectId(),
    i: new Int32(1),
    d: new Double(1),
    l: Long.fromString('9223372036854775807'),
    dec: Decimal128.fromString('1.10'),
    bin: new Binary(Buffer.from([1, 2, 3]), 0),
    uuid: new Binary(Buffer.alloc(16, 7), 4),
    date: new Date(1700000000123),
    nil: null,
    s: 'text',
    b: false,
    re: new BSONRegExp('^a', 'i'),
    ts: new Timestamp({ t: 5, i: 6 }),
    nested: { arr: [new Int32(1), new Double(2.5), { deep: Long.fromNumber(3) }], empty: {} },
  });

  test('every BSON type comes back exactly', () => {
    const e = freshEngine();
    const doc = sample();
    e.insert('db', 'c', [doc], true);
    const [back] = e.find('db', 'c', {});
    expect(exactTypes(back)).toEqual(exactTypes(doc));
    expect(back).not.toHaveProperty('missing');
  });

  test('multi-MB binary values round-trip byte for byte', () => {
    const e = freshEngine();
    const blob = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < blob.length; i += 4093) blob[i] = i % 251;
    e.insert('db', 'c', [{ _id: 1, blob: new Binary(blob) }], true);
    const [back] = e.find('db', 'c', { filter: { _id: 1 } });
    expect(Buffer.from((back?.blob as Binary).value()).equals(blob)).toBe(true);
  });

  test('an update keeps untouched fields exact and applies MongoDB result types', () => {
    const e = freshEngine();
    const doc = sample();
    e.insert(
      'db',
      'c',
      [
        {
          ...doc,
          n32: new Int32(2),
          big: new Int32(2147483647),
          dbl: new Double(2),
          long: Long.fromNumber(2),
        },
      ],
      true,
    );
    e.update(
      'db',
      'c',
      [
        {
          q: { _id: doc._id as ObjectId },
          u: {
            $inc: {
              n32: new Int32(1),
              big: new Int32(1),
              dbl: new Int32(1),
              long: new Int32(1),
              fresh: new Double(1.5),
            },
            $set: { s: 'changed', 'nested.empty.x': new Decimal128('5') },
          },
        },
      ],
      true,
    );
    const [back] = e.find('db', 'c', {});
    expect(back?.n32).toEqual(new Int32(3));
    expect(back?.big).toEqual(Long.fromNumber(2147483648));
    expect(back?.dbl).toEqual(new Double(3));
    expect(back?.long).toEqual(Long.fromNumber(3));
    expect(back?.fresh).toEqual(new Double(1.5));
    expect(exactTypes(back?.nested)).toEqual(
      exactTypes({ ...doc.nested, empty: { x: new Decimal128('5') } }),
    );
    expect(exactTypes(back?.l)).toEqual(exactTypes(doc.l));
    expect(exactTypes(back?.dec)).toEqual(exactTypes(doc.dec));
  });

  test('equality matches across numeric types; null matches null and missing', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [
        { _id: 1, v: new Int32(1) },
        { _id: 2, v: new Double(1) },
        { _id: 3, v: Long.fromNumber(1) },
        { _id: 4, v: null },
        { _id: 5 },
      ],
      true,
    );
    expect(e.count('db', 'c', { v: new Double(1) })).toBe(3);
    expect(e.count('db', 'c', { v: Decimal128.fromString('1.0') })).toBe(3);
    expect(e.count('db', 'c', { v: null })).toBe(2);
    expect(e.count('db', 'c', { v: { $exists: false } })).toBe(1);
    expect(e.count('db', 'c', { v: { $type: 'null' } })).toBe(1);
  });

  test('queries on ObjectId, Date and Binary values', () => {
    const e = freshEngine();
    const ids = [
      new ObjectId('000000000000000000000001'),
      new ObjectId('000000000000000000000002'),
      new ObjectId('000000000000000000000003'),
    ];
    e.insert(
      'db',
      'c',
      ids.map((id, i) => ({ _id: id, at: new Date(1000 * i), bin: new Binary(Buffer.from([i])) })),
      true,
    );
    expect(e.find('db', 'c', { filter: { _id: { $gt: ids[0] } } }).map((d) => d._id as ObjectId)).toEqual(
      ids.slice(1),
    );
    expect(e.count('db', 'c', { at: { $gte: new Date(1000) } })).toBe(2);
    expect(e.count('db', 'c', { bin: new Binary(Buffer.from([2])) })).toBe(1);
    expect(e.count('db', 'c', { _id: { $in: [ids[2], ids[0]] } })).toBe(2);
  });
});

describe('$type', () => {
  test('distinguishes Int32, Long, Double and Decimal128; "number" matches them all', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [
        { _id: 'd', v: new Double(5) },
        { _id: 'i', v: new Int32(5) },
        { _id: 'l', v: Long.fromNumber(5) },
        { _id: 'm', v: Decimal128.fromString('5') },
        { _id: 's', v: '5' },
        { _id: 'a', v: ['x', new Int32(1)] },
      ],
      true,
    );
    const ids = (filter: Document) =>
      e.find('db', 'c', { filter, sort: { _id: 1 } }).map((d) => d._id as string);
    expect(ids({ v: { $type: 'double' } })).toEqual(['d']);
    expect(ids({ v: { $type: 1 } })).toEqual(['d']);
    expect(ids({ v: { $type: 'int' } })).toEqual(['a', 'i']);
    expect(ids({ v: { $type: ['long', 'decimal'] } })).toEqual(['l', 'm']);
    expect(ids({ v: { $type: 'number', $gte: 5 } })).toEqual(['d', 'i', 'l', 'm']);
    expect(ids({ v: { $type: 'array' } })).toEqual(['a']);
    expect(ids({ $and: [{ v: { $type: 'string' } }, { _id: { $ne: 'a' } }] })).toEqual(['s']);
  });
});

describe('MongoDB matching rules mingo does not follow', () => {
  test('null on a dotted path matches when an array element lacks the field', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [
        { _id: 1, arr: [{ b: 1 }, {}] },
        { _id: 2 },
        { _id: 3, arr: [{ b: 2 }] },
        { _id: 4, arr: { b: null } },
      ],
      true,
    );
    const ids = (filter: Document) => e.find('db', 'c', { filter }).map((d) => (d._id as Int32).value);
    expect(ids({ 'arr.b': null })).toEqual([1, 2, 4]);
    expect(ids({ 'arr.b': { $eq: null } })).toEqual([1, 2, 4]);
    expect(ids({ 'arr.b': { $ne: null } })).toEqual([3]);
  });

  test('equality with an embedded document respects field order', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [
        { _id: 1, o: { x: 1, y: 2 } },
        { _id: 2, o: { y: 2, x: 1 } },
        { _id: 3, o: [{ x: 1, y: 2 }] },
      ],
      true,
    );
    const ids = e.find('db', 'c', { filter: { o: { x: 1, y: 2 } } }).map((d) => (d._id as Int32).value);
    expect(ids).toEqual([1, 3]);
  });
});

describe('sort order across types', () => {
  test('MinKey < null < numbers < strings < objects < arrays < BinData < ObjectId < bool < Date < Timestamp < RegExp < MaxKey', () => {
    const e = freshEngine();
    const values: unknown[] = [
      new MaxKey(),
      new BSONRegExp('a', ''),
      new Timestamp({ t: 1, i: 1 }),
      new Date(0),
      true,
      new ObjectId('000000000000000000000000'),
      new Binary(Buffer.from('a')),
      { a: 1 },
      'a',
      new Int32(5),
      null,
      new MinKey(),
    ];
    e.insert(
      'db',
      'c',
      values.map((v, i) => ({ _id: i, v })),
      true,
    );
    const asc = e.find('db', 'c', { sort: { v: 1 } }).map((d) => (d._id as Int32).value);
    expect(asc).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const desc = e.find('db', 'c', { sort: { v: -1 } }).map((d) => (d._id as Int32).value);
    expect(desc).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('numbers of different types sort numerically; missing sorts with null', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [
        { _id: 1, v: new Double(2.5) },
        { _id: 2, v: Long.fromNumber(2) },
        { _id: 3, v: new Int32(3) },
        { _id: 4 },
        { _id: 5, v: Decimal128.fromString('-1') },
      ],
      true,
    );
    expect(e.find('db', 'c', { sort: { v: 1 } }).map((d) => (d._id as Int32).value)).toEqual([4, 5, 2, 1, 3]);
  });

  test('arrays sort by their smallest element ascending and largest descending', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [
        { _id: 1, v: [1, 10] },
        { _id: 2, v: [5] },
        { _id: 3, v: [0, 6] },
      ],
      true,
    );
    expect(e.find('db', 'c', { sort: { v: 1 } }).map((d) => (d._id as Int32).value)).toEqual([3, 1, 2]);
    expect(e.find('db', 'c', { sort: { v: -1 } }).map((d) => (d._id as Int32).value)).toEqual([1, 3, 2]);
  });
});
