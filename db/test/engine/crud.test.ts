import { Double, Int32, Long, ObjectId, serialize } from 'bson';
import { rememberArrivedBytes } from '../../src/embedded/engine/arrived-bytes';
import { describe, expect, test } from 'vitest';
import { MongoServerError } from '../../src/embedded/engine/index';
import { freshEngine } from './engine-fixture';

describe('insert and find', () => {
  test('a missing _id gets a new ObjectId placed first', () => {
    const e = freshEngine();
    expect(e.insert('db', 'c', [{ a: new Int32(1) }], true)).toEqual({ n: 1, writeErrors: [] });
    const [doc] = e.find('db', 'c', {});
    expect(doc?._id).toBeInstanceOf(ObjectId);
    expect(Object.keys(doc ?? {})).toEqual(['_id', 'a']);
  });

  test('a document with its bytes from the wire is stored as those bytes, unless it had to change', () => {
    const e = freshEngine();
    // Bytes that differ from the parsed document show which of the two was stored.
    const asIs = { _id: new Int32(1), a: new Int32(1) };
    rememberArrivedBytes(asIs, Buffer.from(serialize({ ...asIs, arrived: true })));
    const idLast = { a: new Int32(2), _id: new Int32(2) };
    rememberArrivedBytes(idLast, Buffer.from(serialize({ ...idLast, arrived: true })));
    const noId = { a: new Int32(3) };
    rememberArrivedBytes(noId, Buffer.from(serialize({ ...noId, arrived: true })));
    expect(e.insert('db', 'c', [asIs, idLast, noId], true)).toEqual({ n: 3, writeErrors: [] });
    const [one, two, three] = e.find('db', 'c', { sort: { a: 1 } });
    expect(one).toEqual({ _id: new Int32(1), a: new Int32(1), arrived: true });
    // Reordered to put _id first, or given an _id: serialised from the document.
    expect(two).toEqual({ a: new Int32(2), _id: new Int32(2) });
    expect(three?.arrived).toBeUndefined();
    expect(three?._id).toBeInstanceOf(ObjectId);
  });

  test('filter, sort, skip, limit and projection', () => {
    const e = freshEngine();
    const docs = [3, 1, 4, 1, 5, 9, 2, 6].map((n, i) => ({
      _id: new Int32(i),
      n: new Int32(n),
      tag: n % 2 ? 'odd' : 'even',
      sub: { x: n, y: 'y' },
    }));
    e.insert('db', 'c', docs, true);
    const out = e.find('db', 'c', {
      filter: { tag: 'odd' },
      sort: { n: -1, _id: 1 },
      skip: 1,
      limit: 2,
      projection: { n: 1, 'sub.x': 1, _id: 0 },
    });
    expect(out).toEqual([
      { n: new Int32(5), sub: { x: new Int32(5) } },
      { n: new Int32(3), sub: { x: new Int32(3) } },
    ]);
    const excluded = e.find('db', 'c', { filter: { _id: new Int32(0) }, projection: { sub: 0 } });
    expect(excluded).toEqual([{ _id: new Int32(0), n: new Int32(3), tag: 'odd' }]);
  });

  test('positional projection returns the first element matching the query', () => {
    const e = freshEngine();
    e.insert('db', 'p', [{ _id: 1, arr: [1, 2, 3, 4], other: 'x' }], true);
    const [doc] = e.find('db', 'p', { filter: { _id: 1, arr: { $gte: 3 } }, projection: { 'arr.$': 1 } });
    expect(doc).toEqual({ _id: new Int32(1), arr: [new Int32(3)] });
    expect(() => e.find('db', 'p', { filter: { _id: 1 }, projection: { 'arr.$': 1 } })).toThrow(
      MongoServerError,
    );
  });

  test('a read of a missing collection is empty and does not create it', () => {
    const e = freshEngine();
    expect(e.find('db', 'nothing', { filter: { a: 1 } })).toEqual([]);
    expect(e.listCollections('db')).toEqual([]);
  });

  test('ordered inserts stop at the first duplicate, unordered go on', () => {
    const e = freshEngine();
    const ordered = e.insert('db', 'o', [{ _id: 1 }, { _id: 1 }, { _id: 2 }], true);
    expect(ordered.n).toBe(1);
    expect(ordered.writeErrors).toHaveLength(1);
    expect(ordered.writeErrors[0]).toMatchObject({
      index: 1,
      code: 11000,
      codeName: 'DuplicateKey',
      keyPattern: { _id: 1 },
    });
    const unordered = e.insert('db', 'u', [{ _id: 1 }, { _id: 1 }, { _id: 2 }], false);
    expect(unordered.n).toBe(2);
    expect(unordered.writeErrors.map((w) => w.index)).toEqual([1]);
  });

  test('numerically equal _id values of different types are duplicates', () => {
    const e = freshEngine();
    e.insert('db', 'c', [{ _id: new Int32(1) }], true);
    const r = e.insert('db', 'c', [{ _id: new Double(1) }, { _id: Long.fromNumber(1) }], false);
    expect(r.n).toBe(0);
    expect(r.writeErrors).toHaveLength(2);
  });

  test('documents over 16 MiB are refused with BSONObjectTooLarge', () => {
    const e = freshEngine();
    const r = e.insert('db', 'c', [{ big: Buffer.alloc(16 * 1024 * 1024) }], true);
    expect(r.writeErrors[0]?.code).toBe(10334);
    expect(e.count('db', 'c')).toBe(0);
  });

  test('a document bson cannot serialise is a write error of that document only', () => {
    const e = freshEngine();
    const r = e.insert('db', 'c', [{ _id: 1 }, { 'bad\u0000key': 1 }, { _id: 3 }], false);
    expect(r.n).toBe(2);
    expect(r.writeErrors).toMatchObject([{ index: 1, code: 2 }]);
  });

  test('server-side JavaScript and unknown operators are refused with BadValue', () => {
    const e = freshEngine();
    e.insert('db', 'c', [{ a: 1 }], true);
    for (const filter of [
      { $where: 'true' },
      { $expr: { $function: { body: 'x', args: [], lang: 'js' } } },
      { a: { $foo: 1 } },
    ]) {
      let err: unknown;
      try {
        e.find('db', 'c', { filter });
      } catch (x) {
        err = x;
      }
      expect(err).toBeInstanceOf(MongoServerError);
      expect((err as MongoServerError).code).toBe(2);
    }
  });
});

describe('delete, count and distinct', () => {
  test('delete with limit 1 and 0', () => {
    const e = freshEngine();
    e.insert('db', 'c', [{ k: 1 }, { k: 1 }, { k: 1 }, { k: 2 }], true);
    expect(e.delete('db', 'c', [{ q: { k: 1 }, limit: 1 }], true).n).toBe(1);
    expect(e.count('db', 'c', { k: 1 })).toBe(2);
    expect(e.delete('db', 'c', [{ q: { k: 1 }, limit: 0 }], true).n).toBe(2);
    expect(e.count('db', 'c')).toBe(1);
  });

  test('count honours skip and limit; distinct flattens arrays', () => {
    const e = freshEngine();
    e.insert(
      'db',
      'c',
      [{ t: ['a', 'b'] }, { t: 'a' }, { t: ['c'] }, { t: new Int32(1) }, { t: new Double(1) }],
      true,
    );
    expect(e.count('db', 'c', {}, 1, 2)).toBe(2);
    expect(e.count('db', 'c', {}, 4)).toBe(1);
    expect(e.distinct('db', 'c', 't')).toEqual(['a', 'b', 'c', new Int32(1)]);
  });
});

describe('collections', () => {
  test('create, list with a name filter, rename, drop', () => {
    const e = freshEngine();
    e.createCollection('db', 'a');
    expect(() => e.createCollection('db', 'a')).toThrowError(expect.objectContaining({ code: 48 }) as Error);
    e.insert('db', 'b', [{ x: 1 }], true);
    expect(e.listCollections('db').map((c) => c.name)).toEqual(['a', 'b']);
    expect(e.listCollections('db', { name: 'b' }).map((c) => c.name)).toEqual(['b']);
    expect(() => e.renameCollection('db', 'b', 'db', 'a', false)).toThrowError(
      expect.objectContaining({ code: 48 }) as Error,
    );
    expect(() => e.renameCollection('db', 'zz', 'db', 'y', false)).toThrowError(
      expect.objectContaining({ code: 26 }) as Error,
    );
    e.renameCollection('db', 'b', 'db', 'a', true);
    expect(e.find('db', 'a', {})).toHaveLength(1);
    expect(e.dropCollection('db', 'a')).toBe(true);
    expect(e.dropCollection('db', 'a')).toBe(false);
    e.insert('db2', 'c', [{}], true);
    expect(e.listDatabases().map((d) => d.name)).toEqual(['db2']);
    e.dropDatabase('db2');
    expect(e.listDatabases()).toEqual([]);
  });

  test('data survives closing and reopening the database', async () => {
    const { tempDir } = await import('./engine-fixture');
    const { openEngine } = await import('../../src/embedded/engine/index');
    const dir = tempDir();
    const first = openEngine({ dataDir: dir, ttlIntervalMs: 0 });
    first.insert('db', 'c', [{ _id: 1, v: Long.fromString('9007199254740993') }], true);
    first.createIndexes('db', 'c', [{ key: { v: 1 }, name: 'v_1', unique: true }]);
    first.close();
    const second = freshEngine(0, dir);
    expect(second.find('db', 'c', {})).toEqual([
      { _id: new Int32(1), v: Long.fromString('9007199254740993') },
    ]);
    expect(second.listIndexes('db', 'c').map((i) => i.name as string)).toEqual(['_id_', 'v_1']);
  });
});
