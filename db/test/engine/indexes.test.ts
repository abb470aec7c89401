import { Decimal128, Double, Int32, Long } from 'bson';
import { describe, expect, test } from 'vitest';
import { MongoServerError } from '../../src/embedded/engine/index';
import { freshEngine } from './engine-fixture';

function thrown(fn: () => unknown): MongoServerError {
  try {
    fn();
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('unique indexes', () => {
  test('duplicate key errors carry MongoDB message, keyPattern and keyValue', () => {
    const e = freshEngine();
    e.createIndexes('app', 'users', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    e.insert('app', 'users', [{ email: 'a@b.c' }], true);
    const r = e.insert('app', 'users', [{ email: 'a@b.c' }], true);
    expect(r.writeErrors[0]).toEqual({
      index: 0,
      code: 11000,
      codeName: 'DuplicateKey',
      errmsg: 'E11000 duplicate key error collection: app.users index: email_1 dup key: { email: "a@b.c" }',
      keyPattern: { email: 1 },
      keyValue: { email: 'a@b.c' },
    });
  });

  test('numerically equal values collide; an update into a duplicate fails', () => {
    const e = freshEngine();
    e.createIndexes('db', 'c', [{ key: { n: 1 }, name: 'n_1', unique: true }]);
    e.insert(
      'db',
      'c',
      [
        { _id: 1, n: new Int32(1) },
        { _id: 2, n: new Int32(2) },
      ],
      true,
    );
    for (const v of [new Double(1), Long.fromNumber(1), Decimal128.fromString('1.0')]) {
      expect(e.insert('db', 'c', [{ n: v }], true).writeErrors[0]?.code).toBe(11000);
    }
    const u = e.update('db', 'c', [{ q: { _id: 2 }, u: { $set: { n: 1 } } }], true);
    expect(u.writeErrors[0]).toMatchObject({ code: 11000, keyValue: { n: 1 } });
    // updating a document to the key it already has is not a conflict
    expect(e.update('db', 'c', [{ q: { _id: 1 }, u: { $set: { other: 1 } } }], true).writeErrors).toEqual([]);
  });

  test('compound unique indexes compare the whole key', () => {
    const e = freshEngine();
    e.createIndexes('db', 'c', [{ key: { a: 1, b: -1 }, name: 'a_1_b_-1', unique: true }]);
    expect(
      e.insert(
        'db',
        'c',
        [
          { a: 1, b: 1 },
          { a: 1, b: 2 },
          { a: 2, b: 1 },
        ],
        true,
      ).n,
    ).toBe(3);
    const r = e.insert('db', 'c', [{ a: 1, b: 2 }], true);
    expect(r.writeErrors[0]).toMatchObject({
      code: 11000,
      keyPattern: { a: 1, b: -1 },
      keyValue: { a: 1, b: 2 },
    });
  });

  test('missing fields index as null unless the index is sparse', () => {
    const e = freshEngine();
    e.createIndexes('db', 'dense', [{ key: { x: 1 }, name: 'x_1', unique: true }]);
    expect(e.insert('db', 'dense', [{}, {}], false).writeErrors[0]).toMatchObject({
      code: 11000,
      keyValue: { x: null },
    });
    e.createIndexes('db', 'sparse', [{ key: { x: 1 }, name: 'x_1', unique: true, sparse: true }]);
    expect(e.insert('db', 'sparse', [{}, {}, { x: 1 }], false).n).toBe(3);
    expect(e.insert('db', 'sparse', [{ x: 1 }], false).n).toBe(0);
  });

  test('partial indexes only constrain matching documents', () => {
    const e = freshEngine();
    e.createIndexes('db', 'c', [
      { key: { u: 1 }, name: 'u_1', unique: true, partialFilterExpression: { active: true } },
    ]);
    expect(
      e.insert(
        'db',
        'c',
        [
          { u: 1, active: false },
          { u: 1, active: false },
          { u: 1, active: true },
        ],
        true,
      ).n,
    ).toBe(3);
    expect(e.insert('db', 'c', [{ u: 1, active: true }], true).writeErrors[0]?.code).toBe(11000);
    expect(e.count('db', 'c', { u: 1 })).toBe(3 + 0);
  });

  test('multikey: each array element is a key', () => {
    const e = freshEngine();
    e.createIndexes('db', 'c', [{ key: { tags: 1 }, name: 'tags_1', unique: true }]);
    expect(e.insert('db', 'c', [{ tags: ['a', 'b', 'a'] }], true).n).toBe(1);
    expect(e.insert('db', 'c', [{ tags: ['c', 'b'] }], true).writeErrors[0]).toMatchObject({
      keyValue: { tags: 'b' },
    });
    expect(e.count('db', 'c', { tags: 'a' })).toBe(1);
  });

  test('a document with more entries than one insert statement holds has every one of them indexed', () => {
    const e = freshEngine();
    e.createIndexes('db', 'c', [
      { key: { words: 1 }, name: 'words_1' },
      { key: { n: 1 }, name: 'n_1', unique: true },
    ]);
    // 100 words and a unique key: 101 entries, more than three multi-row statements' worth.
    const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
    expect(
      e.insert(
        'db',
        'c',
        [
          { n: 1, words },
          { n: 2, words: ['w99', 'x'] },
        ],
        true,
      ).n,
    ).toBe(2);
    // Found through the index: a missing entry would leave its document out.
    for (const word of words) {
      expect(e.find('db', 'c', { filter: { words: word } })).toHaveLength(word === 'w99' ? 2 : 1);
      expect(e.lastPlan).not.toBe('scan');
    }
    expect(e.insert('db', 'c', [{ n: 1 }], true).writeErrors[0]?.code).toBe(11000);
  });

  test('creating a unique index over duplicates fails with 11000 and leaves no index', () => {
    const e = freshEngine();
    e.insert('db', 'c', [{ a: 1 }, { a: 1 }], true);
    expect(
      thrown(() => e.createIndexes('db', 'c', [{ key: { a: 1 }, name: 'a_1', unique: true }])).code,
    ).toBe(11000);
    expect(e.listIndexes('db', 'c').map((i) => i.name as string)).toEqual(['_id_']);
  });
});

describe('index management', () => {
  test('createIndexes is idempotent, reports counts, refuses conflicts; dropIndexes errors', () => {
    const e = freshEngine();
    expect(e.createIndexes('db', 'c', [{ key: { a: 1 }, name: 'a_1' }])).toEqual({
      numIndexesBefore: 1,
      numIndexesAfter: 2,
    });
    expect(e.createIndexes('db', 'c', [{ key: { a: 1 }, name: 'a_1' }])).toEqual({
      numIndexesBefore: 2,
      numIndexesAfter: 2,
    });
    expect(
      thrown(() => e.createIndexes('db', 'c', [{ key: { a: 1 }, name: 'a_1', unique: true }])).code,
    ).toBe(85);
    expect(thrown(() => e.createIndexes('db', 'c', [{ key: { b: 1 }, name: 'a_1' }])).code).toBe(86);
    expect(e.listIndexes('db', 'c')).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { a: new Int32(1) }, name: 'a_1' },
    ]);
    expect(thrown(() => e.dropIndexes('db', 'c', ['nope'])).code).toBe(27);
    expect(thrown(() => e.dropIndexes('db', 'c', ['_id_'])).code).toBe(72);
    e.dropIndexes('db', 'c', { a: 1 });
    e.createIndexes('db', 'c', [
      { key: { b: 1 }, name: 'b_1' },
      { key: { c: 1 }, name: 'c_1' },
    ]);
    e.dropIndexes('db', 'c', '*');
    expect(e.listIndexes('db', 'c')).toHaveLength(1);
  });

  test('collStats and dbStats count documents and indexes', () => {
    const e = freshEngine();
    e.insert('db', 'c', [{ a: 1 }, { a: 2 }], true);
    e.createIndexes('db', 'c', [{ key: { a: 1 }, name: 'a_1' }]);
    const s = e.collStats('db', 'c');
    expect(s).toMatchObject({ count: 2, nindexes: 2 });
    expect(s.size).toBeGreaterThan(0);
    expect(s.avgObjSize).toBe(Math.round(s.size / 2));
    expect(e.dbStats('db')).toMatchObject({ collections: 1, objects: 2, indexes: 2, dataSize: s.size });
  });
});

describe('the planner', () => {
  function seeded(n: number) {
    const e = freshEngine();
    e.createIndexes('db', 'c', [
      { key: { email: 1 }, name: 'email_1', unique: true },
      { key: { org: 1, role: 1 }, name: 'org_1_role_1' },
    ]);
    const docs = Array.from({ length: n }, (_, i) => ({
      _id: i,
      email: `u${i}@x`,
      org: `o${i % 10}`,
      role: i % 3 === 0 ? 'admin' : 'member',
    }));
    e.insert('db', 'c', docs, true);
    return e;
  }

  function documentsReadBy(e: ReturnType<typeof seeded>, filter: Record<string, unknown>): number {
    const before = e.documentsRead;
    e.find('db', 'c', { filter });
    return e.documentsRead - before;
  }

  test('equality on _id and on indexed fields reads only matching documents, however large the collection', () => {
    for (const n of [100, 3000]) {
      const e = seeded(n);
      expect(documentsReadBy(e, { _id: 42 })).toBe(1);
      expect(e.lastPlan).toBe('id');
      expect(documentsReadBy(e, { _id: { $in: [1, 2, 3] } })).toBe(3);
      expect(documentsReadBy(e, { email: 'u7@x' })).toBe(1);
      expect(e.lastPlan).toBe('index');
      expect(documentsReadBy(e, { email: { $eq: 'u8@x' }, role: 'member' })).toBe(1);
      expect(documentsReadBy(e, { email: { $in: ['u1@x', 'u2@x', 'nobody'] } })).toBe(2);
      // compound: the full key and a prefix
      expect(documentsReadBy(e, { org: 'o1', role: 'admin' })).toBe(
        e.count('db', 'c', { org: 'o1', role: 'admin' }),
      );
      expect(documentsReadBy(e, { org: 'o1' })).toBe(n / 10);
      // candidates are re-checked against the full filter
      expect(e.find('db', 'c', { filter: { email: 'u7@x', org: 'o0' } })).toEqual([]);
    }
  });

  test('conditions an index cannot answer scan the collection', () => {
    const e = seeded(200);
    expect(documentsReadBy(e, { email: { $regex: '^u1' } })).toBe(200);
    expect(e.lastPlan).toBe('scan');
  });
});

describe('TTL', () => {
  test('expireTtl removes documents whose date (earliest of an array) is older than expireAfterSeconds', () => {
    const e = freshEngine();
    e.createIndexes('db', 's', [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 60 }]);
    const now = new Date('2026-01-01T00:10:00Z');
    const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
    e.insert(
      'db',
      's',
      [
        { _id: 'old', at: minutesAgo(5) },
        { _id: 'fresh', at: minutesAgo(0.5) },
        { _id: 'array', at: [minutesAgo(0), minutesAgo(3)] },
        { _id: 'notDate', at: 'yesterday' },
        { _id: 'missing' },
      ],
      true,
    );
    expect(e.expireTtl(now)).toBe(2);
    expect(e.find('db', 's', { sort: { _id: 1 } }).map((d) => d._id as string)).toEqual([
      'fresh',
      'missing',
      'notDate',
    ]);
  });

  test('the background monitor removes expired documents on its own', async () => {
    const e = freshEngine(20);
    e.createIndexes('db', 's', [{ key: { at: 1 }, name: 'at_1', expireAfterSeconds: 0 }]);
    e.insert('db', 's', [{ at: new Date(Date.now() - 1000) }], true);
    const deadline = Date.now() + 10_000;
    while (e.count('db', 's') > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(e.count('db', 's')).toBe(0);
  });
});
