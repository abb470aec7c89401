import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp, type Document } from 'bson';
import { describe, expect, test } from 'vitest';
import { freshEngine } from './engine-fixture';
import type { SqliteEngine, UpdateStatement } from '../../src/embedded/engine/index';

/** Applies one update to `{_id: 1, ...doc}` and returns the stored result, as plain JS numbers. */
function run(
  e: SqliteEngine,
  doc: Document,
  u: UpdateStatement['u'],
  extra: Partial<UpdateStatement> = {},
): Document {
  e.dropCollection('db', 'c');
  e.insert('db', 'c', [{ _id: 1, ...doc }], true);
  const r = e.update('db', 'c', [{ q: { _id: 1 }, u, ...extra }], true);
  if (r.writeErrors.length > 0) throw new Error(JSON.stringify(r.writeErrors[0]));
  return plain(e.find('db', 'c', {})[0]) as Document;
}

function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Int32 || v instanceof Double) return v.value;
  if (v instanceof Long && !(v instanceof Timestamp)) return v.toNumber();
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as Document).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

function errorOf(
  e: SqliteEngine,
  doc: Document,
  u: UpdateStatement['u'],
  extra: Partial<UpdateStatement> = {},
) {
  e.dropCollection('db', 'c');
  e.insert('db', 'c', [{ _id: 1, ...doc }], true);
  return e.update('db', 'c', [{ q: { _id: 1 }, u, ...extra }], true).writeErrors[0];
}

describe('field operators', () => {
  test('$set, $unset, $inc, $mul, $min, $max, $rename, $currentDate', () => {
    const e = freshEngine();
    expect(run(e, { a: 1, b: { c: 2 } }, { $set: { 'b.d': 3, 'x.y': 'z' }, $unset: { a: '' } })).toEqual({
      _id: 1,
      b: { c: 2, d: 3 },
      x: { y: 'z' },
    });
    expect(run(e, { a: 1 }, { $inc: { a: 2, n: 5 }, $mul: { m: 3 } })).toEqual({ _id: 1, a: 3, n: 5, m: 0 });
    expect(run(e, { a: 5, b: 5 }, { $min: { a: 3, c: 1 }, $max: { b: 3 } })).toEqual({
      _id: 1,
      a: 3,
      b: 5,
      c: 1,
    });
    expect(run(e, { a: 1, b: { c: 2 } }, { $rename: { a: 'z', 'b.c': 'b.d' } })).toEqual({
      _id: 1,
      b: { d: 2 },
      z: 1,
    });
    const dated = run(e, {}, { $currentDate: { at: true, ts: { $type: 'timestamp' } } });
    expect(dated.at).toBeInstanceOf(Date);
    expect(dated.ts).toBeInstanceOf(Timestamp);
  });

  test('$setOnInsert applies only when an upsert inserts', () => {
    const e = freshEngine();
    expect(run(e, { a: 1 }, { $set: { b: 1 }, $setOnInsert: { c: 1 } })).toEqual({ _id: 1, a: 1, b: 1 });
    e.dropCollection('db', 'u');
    const r = e.update(
      'db',
      'u',
      [{ q: { k: 'x', n: { $gt: 1 } }, u: { $set: { b: 1 }, $setOnInsert: { c: 1 } }, upsert: true }],
      true,
    );
    expect(r.upserted).toHaveLength(1);
    expect(r.upserted[0]?._id).toBeInstanceOf(ObjectId);
    const [doc] = e.find('db', 'u', { projection: { _id: 0 } });
    expect(plain(doc)).toEqual({ k: 'x', b: 1, c: 1 });
  });

  test('Decimal128 arithmetic is decimal', () => {
    const e = freshEngine();
    e.insert('db', 'dec', [{ _id: 1, v: Decimal128.fromString('0.1') }], true);
    e.update('db', 'dec', [{ q: { _id: 1 }, u: { $inc: { v: Decimal128.fromString('0.2') } } }], true);
    expect((e.find('db', 'dec', {})[0]?.v as Decimal128).toString()).toBe('0.3');
    e.update('db', 'dec', [{ q: { _id: 1 }, u: { $mul: { v: new Int32(3) } } }], true);
    expect((e.find('db', 'dec', {})[0]?.v as Decimal128).toString()).toBe('0.9');
  });

  test('an update making a document larger than 16 MiB is refused (17419)', () => {
    const e = freshEngine();
    e.insert('db', 'big', [{ _id: 1, a: new Binary(Buffer.alloc(10 * 1024 * 1024)) }], true);
    const r = e.update(
      'db',
      'big',
      [{ q: { _id: 1 }, u: { $set: { b: new Binary(Buffer.alloc(10 * 1024 * 1024)) } } }],
      true,
    );
    expect(r.writeErrors[0]?.code).toBe(17419);
  });

  test('$inc on a string and with a string fail with TypeMismatch', () => {
    const e = freshEngine();
    expect(errorOf(e, { a: 'x' }, { $inc: { a: 1 } })?.code).toBe(14);
    expect(errorOf(e, { a: 1 }, { $inc: { a: 'x' } })?.code).toBe(14);
  });

  test('unknown modifiers fail with FailedToParse; changing _id with ImmutableField', () => {
    const e = freshEngine();
    expect(errorOf(e, {}, { $bogus: { a: 1 } })).toMatchObject({ code: 9, codeName: 'FailedToParse' });
    expect(errorOf(e, {}, { $set: { _id: 2 } })).toMatchObject({ code: 66, codeName: 'ImmutableField' });
    expect(errorOf(e, {}, { _id: 2, a: 1 })).toMatchObject({ code: 66 });
  });

  test('two operators on one path (or a path and its prefix) conflict with code 40', () => {
    const e = freshEngine();
    expect(errorOf(e, { a: 1 }, { $set: { a: 2 }, $inc: { a: 1 } })).toMatchObject({
      code: 40,
      codeName: 'ConflictingUpdateOperators',
    });
    expect(errorOf(e, { a: { b: 1 } }, { $set: { 'a.b': 2 }, $unset: { a: '' } })?.code).toBe(40);
    expect(errorOf(e, { a: 1 }, { $rename: { a: 'b' }, $set: { b: 1 } })?.code).toBe(40);
  });

  test('an upsert may choose its _id with $setOnInsert', () => {
    const e = freshEngine();
    e.update('db', 'ins', [{ q: { k: 1 }, u: { $setOnInsert: { _id: 'chosen' } }, upsert: true }], true);
    expect(e.find('db', 'ins', {})).toEqual([{ _id: 'chosen', k: new Int32(1) }]);
  });

  test('updates that change nothing report nModified 0', () => {
    const e = freshEngine();
    e.insert('db', 'c', [{ _id: 1, a: new Int32(1) }], true);
    const r = e.update('db', 'c', [{ q: { _id: 1 }, u: { $set: { a: new Int32(1) } } }], true);
    expect(r).toMatchObject({ n: 1, nModified: 0 });
  });
});

describe('array operators', () => {
  test('$push with $each, $position, $sort and $slice; $addToSet with $each', () => {
    const e = freshEngine();
    expect(run(e, { a: [1] }, { $push: { a: 2, n: 'x' } })).toEqual({ _id: 1, a: [1, 2], n: ['x'] });
    expect(run(e, { a: [5, 1] }, { $push: { a: { $each: [3, 9], $sort: 1, $slice: 3 } } })).toEqual({
      _id: 1,
      a: [1, 3, 5],
    });
    expect(run(e, { a: [1, 2] }, { $push: { a: { $each: [0], $position: 0 } } })).toEqual({
      _id: 1,
      a: [0, 1, 2],
    });
    expect(
      run(e, { a: [{ s: 2 }, { s: 1 }] }, { $push: { a: { $each: [{ s: 3 }], $sort: { s: -1 } } } }),
    ).toEqual({
      _id: 1,
      a: [{ s: 3 }, { s: 2 }, { s: 1 }],
    });
    expect(run(e, { a: [1, 2] }, { $addToSet: { a: { $each: [2, 3, 3] } } })).toEqual({
      _id: 1,
      a: [1, 2, 3],
    });
    expect(errorOf(e, { a: 'x' }, { $push: { a: 1 } })?.code).toBe(2);
  });

  test('$pop, $pull with conditions and documents, $pullAll', () => {
    const e = freshEngine();
    expect(run(e, { a: [1, 2, 3] }, { $pop: { a: 1 } })).toEqual({ _id: 1, a: [1, 2] });
    expect(run(e, { a: [1, 2, 3] }, { $pop: { a: -1 } })).toEqual({ _id: 1, a: [2, 3] });
    expect(run(e, { a: [1, 5, 8, 2] }, { $pull: { a: { $gte: 5 } } })).toEqual({ _id: 1, a: [1, 2] });
    expect(run(e, { a: [{ x: 1, y: 1 }, { x: 2 }] }, { $pull: { a: { x: 1 } } })).toEqual({
      _id: 1,
      a: [{ x: 2 }],
    });
    expect(run(e, { a: [1, 2, 1, 3] }, { $pullAll: { a: [1, 3] } })).toEqual({ _id: 1, a: [2] });
  });

  test('positional $, $[] and $[<id>] with arrayFilters', () => {
    const e = freshEngine();
    e.dropCollection('db', 'c');
    e.insert('db', 'c', [{ _id: 1, grades: [80, 85, 90] }], true);
    e.update('db', 'c', [{ q: { _id: 1, grades: 85 }, u: { $set: { 'grades.$': 86 } } }], true);
    expect(plain(e.find('db', 'c', {})[0])).toEqual({ _id: 1, grades: [80, 86, 90] });

    e.dropCollection('db', 'c');
    e.insert(
      'db',
      'c',
      [
        {
          _id: 1,
          items: [
            { k: 'a', q: 1 },
            { k: 'b', q: 2 },
          ],
        },
      ],
      true,
    );
    e.update('db', 'c', [{ q: { 'items.k': 'b' }, u: { $inc: { 'items.$.q': 10 } } }], true);
    expect(plain(e.find('db', 'c', {})[0])).toEqual({
      _id: 1,
      items: [
        { k: 'a', q: 1 },
        { k: 'b', q: 12 },
      ],
    });

    expect(run(e, { a: [1, 2, 3] }, { $inc: { 'a.$[]': 1 } })).toEqual({ _id: 1, a: [2, 3, 4] });
    expect(
      run(e, { a: [1, 5, 9] }, { $set: { 'a.$[big]': 0 } }, { arrayFilters: [{ big: { $gt: 4 } }] }),
    ).toEqual({ _id: 1, a: [1, 0, 0] });
    expect(
      run(
        e,
        {
          a: [
            { t: 'x', v: 1 },
            { t: 'y', v: 1 },
          ],
        },
        { $set: { 'a.$[el].v': 2 } },
        { arrayFilters: [{ 'el.t': 'y' }] },
      ),
    ).toEqual({
      _id: 1,
      a: [
        { t: 'x', v: 1 },
        { t: 'y', v: 2 },
      ],
    });
    expect(run(e, { a: [1, 2] }, { $set: { 'a.3': 9 } })).toEqual({ _id: 1, a: [1, 2, null, 9] });
  });
});

describe('replacement, pipeline, multi and upsert', () => {
  test('a replacement keeps _id and drops other fields', () => {
    const e = freshEngine();
    expect(run(e, { a: 1, b: 2 }, { c: 3 })).toEqual({ _id: 1, c: 3 });
  });

  test('pipeline updates keep exact types of untouched fields', () => {
    const e = freshEngine();
    e.insert('db', 'p', [{ _id: 1, d: new Double(2), l: Long.fromNumber(7), a: new Int32(1) }], true);
    e.update(
      'db',
      'p',
      [{ q: { _id: 1 }, u: [{ $set: { total: { $add: ['$a', 1] } } }, { $unset: 'a' }] }],
      true,
    );
    const [doc] = e.find('db', 'p', {});
    expect(doc).toEqual({ _id: new Int32(1), d: new Double(2), l: Long.fromNumber(7), total: new Int32(2) });
  });

  test('multi updates every match; single updates the first', () => {
    const e = freshEngine();
    e.insert('db', 'm', [{ k: 1 }, { k: 1 }, { k: 2 }], true);
    expect(e.update('db', 'm', [{ q: { k: 1 }, u: { $set: { s: true } } }], true)).toMatchObject({
      n: 1,
      nModified: 1,
    });
    expect(e.update('db', 'm', [{ q: { k: 1 }, u: { $set: { t: true } }, multi: true }], true)).toMatchObject(
      { n: 2, nModified: 2 },
    );
    expect(e.count('db', 'm', { t: true })).toBe(2);
  });

  test('an upsert seeds equality fields of the query (including _id) and a replacement upsert keeps them', () => {
    const e = freshEngine();
    const r = e.update(
      'db',
      'up',
      [{ q: { _id: 'k', 'a.b': 1 }, u: { $inc: { n: 1 } }, upsert: true }],
      true,
    );
    expect(r).toMatchObject({ n: 1, nModified: 0, upserted: [{ index: 0, _id: 'k' }] });
    expect(plain(e.find('db', 'up', {})[0])).toEqual({ _id: 'k', a: { b: 1 }, n: 1 });
    e.update('db', 'up', [{ q: { _id: 'r' }, u: { v: 1 }, upsert: true }], true);
    expect(plain(e.find('db', 'up', { filter: { _id: 'r' } })[0])).toEqual({ _id: 'r', v: 1 });
  });

  test('ordered update batches stop at the first error', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'o',
      [
        { _id: 1, a: 'x' },
        { _id: 2, a: 1 },
      ],
      true,
    );
    const r = e.update(
      'db',
      'o',
      [
        { q: { _id: 1 }, u: { $inc: { a: 1 } } },
        { q: { _id: 2 }, u: { $inc: { a: 1 } } },
      ],
      true,
    );
    expect(r.writeErrors.map((w) => w.index)).toEqual([0]);
    expect(r.n).toBe(0);
  });
});

describe('findAndModify', () => {
  test('returns the old or new document, upserts, removes, projects and sorts', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'f',
      [
        { _id: 1, n: 1 },
        { _id: 2, n: 2 },
      ],
      true,
    );
    const old = e.findAndModify('db', 'f', { query: {}, sort: { n: -1 }, update: { $inc: { n: 10 } } });
    expect(plain(old.value)).toEqual({ _id: 2, n: 2 });
    expect(old.lastErrorObject).toEqual({ n: 1, updatedExisting: true });
    const fresh = e.findAndModify('db', 'f', {
      query: { _id: 1 },
      update: { $inc: { n: 10 } },
      new: true,
      fields: { _id: 0 },
    });
    expect(plain(fresh.value)).toEqual({ n: 11 });
    const up = e.findAndModify('db', 'f', {
      query: { _id: 3 },
      update: { $set: { n: 0 } },
      upsert: true,
      new: true,
    });
    expect(plain(up.value)).toEqual({ _id: 3, n: 0 });
    expect(up.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 3 });
    const removed = e.findAndModify('db', 'f', { query: { n: { $gt: 5 } }, sort: { n: 1 }, remove: true });
    expect(plain(removed.value)).toEqual({ _id: 1, n: 11 });
    expect(e.count('db', 'f')).toBe(2);
    const none = e.findAndModify('db', 'f', { query: { _id: 99 }, update: { $set: { a: 1 } } });
    expect(none.value).toBeNull();
  });
});
