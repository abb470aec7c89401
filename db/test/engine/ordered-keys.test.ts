import path from 'node:path';
import Database from 'better-sqlite3';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, type Document } from 'bson';
import { describe, expect, test } from 'vitest';
import { DATABASE_FILE, FORMAT_VERSION, openEngine } from '../../src/embedded/engine/index';
import { encodeValue } from '../../src/embedded/engine/index-keys';
import { compareValues } from '../../src/embedded/engine/values';
import { freshEngine, tempDir } from './engine-fixture';

describe('key encoding', () => {
  test('text order of encoded scalars is MongoDB order, equal values encode equally', () => {
    const values: unknown[] = [
      new Int32(0),
      new Double(-0),
      new Double(0.5),
      new Double(-0.5),
      new Double(1e21),
      new Double(-1e-7),
      new Double(123.456),
      new Double(Infinity),
      new Double(-Infinity),
      new Double(NaN),
      new Int32(-12),
      new Int32(12),
      new Int32(120),
      Long.fromString('9223372036854775807'),
      Long.fromString('-9223372036854775808'),
      Decimal128.fromString('1.20'),
      Decimal128.fromString('-1.2'),
      new Double(1.2),
      '',
      'a',
      'ab',
      'b',
      'a\u0001',
      null,
      true,
      false,
      new Date(-5),
      new Date(5),
      new ObjectId('00000000000000000000000a'),
      new ObjectId('0000000000000000000000a0'),
      new Binary(Buffer.from([2])),
      new Binary(Buffer.from([1, 1])),
    ];
    for (const a of values) {
      for (const b of values) {
        const byValue = Math.sign(compareValues(a, b));
        const ka = encodeValue(a);
        const kb = encodeValue(b);
        const byKey = ka < kb ? -1 : ka > kb ? 1 : 0;
        expect([String(a), String(b), byKey]).toEqual([String(a), String(b), byValue]);
      }
    }
  });
});

describe('range and sort plans', () => {
  function seeded(n: number) {
    const e = freshEngine();
    e.createIndexes('db', 'c', [{ key: { n: 1 }, name: 'n_1' }]);
    const docs: Document[] = Array.from({ length: n }, (_, i) => ({ _id: i, n: (i * 7919) % n, s: `k${i}` }));
    e.insert('db', 'c', docs, true);
    return e;
  }

  test('a sort on an indexed field with a limit reads only the documents it returns', () => {
    const e = seeded(2000);
    const before = e.documentsRead;
    const asc = e.find('db', 'c', { sort: { n: 1 }, limit: 10, skip: 5 });
    expect(e.documentsRead - before).toBe(15);
    expect(asc.map((d) => (d.n as Int32).value)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const desc = e.find('db', 'c', { sort: { n: -1 }, limit: 3 });
    expect(desc.map((d) => (d.n as Int32).value)).toEqual([1999, 1998, 1997]);
    const byId = e.find('db', 'c', { sort: { _id: -1 }, limit: 2 });
    expect(byId.map((d) => (d._id as Int32).value)).toEqual([1999, 1998]);
    expect(e.lastPlan).toBe('range');
  });

  test('equality on leading compound fields and a sort on the next one read only what is returned', () => {
    const e = freshEngine();
    e.createIndexes('db', 'msg', [{ key: { channel: 1, at: -1 }, name: 'channel_1_at_-1' }]);
    const docs: Document[] = [];
    for (let i = 0; i < 600; i++)
      docs.push({ _id: i, channel: i % 3 === 0 ? 'a' : 'b', at: new Date(1_000_000 + i) });
    e.insert('db', 'msg', docs, true);
    const before = e.documentsRead;
    const latest = e.find('db', 'msg', { filter: { channel: 'a' }, sort: { at: -1 }, limit: 3 });
    expect(e.documentsRead - before).toBe(3);
    expect(latest.map((d) => (d._id as Int32).value)).toEqual([597, 594, 591]);
    const oldest = e.find('db', 'msg', { filter: { channel: 'b' }, sort: { at: 1 }, limit: 2 });
    expect(oldest.map((d) => (d._id as Int32).value)).toEqual([1, 2]);
  });

  test('range conditions read only the range and agree with a scan', () => {
    const e = seeded(1000);
    const before = e.documentsRead;
    const hits = e.find('db', 'c', { filter: { n: { $gte: 100, $lt: 150 } }, sort: { n: 1 } });
    expect(e.documentsRead - before).toBe(50);
    expect(hits.map((d) => (d.n as Int32).value)).toEqual(Array.from({ length: 50 }, (_, i) => 100 + i));
    expect(e.count('db', 'c', { n: { $gt: 990 } })).toBe(9);
    expect(e.count('db', 'c', { n: { $lte: 0 } })).toBe(1);
    // type bracketing: strings are not greater than numbers
    expect(e.count('db', 'c', { s: { $gt: 5 } })).toBe(0);
  });

  test('on a multikey index each bound may be met by a different element', () => {
    const e = freshEngine();
    e.createIndexes('db', 'm', [{ key: { v: 1 }, name: 'v_1' }]);
    e.insert(
      'db',
      'm',
      [
        { _id: 1, v: [1, 10] },
        { _id: 2, v: [5] },
        { _id: 3, v: 20 },
      ],
      true,
    );
    const ids = e
      .find('db', 'm', { filter: { v: { $gt: 4, $lt: 8 } }, sort: { _id: 1 } })
      .map((d) => (d._id as Int32).value);
    expect(ids).toEqual([1, 2]);
    expect(e.find('db', 'm', { sort: { v: 1 } }).map((d) => (d._id as Int32).value)).toEqual([1, 2, 3]);
    expect(e.find('db', 'm', { sort: { v: -1 } }).map((d) => (d._id as Int32).value)).toEqual([3, 1, 2]);
  });
});

describe('format version', () => {
  test('a folder of an older format has its keys rebuilt on open', () => {
    const dir = tempDir();
    const first = openEngine({ dataDir: dir, ttlIntervalMs: 0 });
    first.createIndexes('db', 'c', [{ key: { email: 1 }, name: 'email_1', unique: true }]);
    first.insert(
      'db',
      'c',
      [
        { _id: 1, email: 'a' },
        { _id: 2, email: 'b' },
      ],
      true,
    );
    first.close();
    const raw = new Database(path.join(dir, DATABASE_FILE));
    raw.prepare(`UPDATE meta SET value = '1' WHERE key = 'formatVersion'`).run();
    raw.prepare(`UPDATE docs_1 SET id_key = 'old' || doc_id`).run();
    raw.prepare('DELETE FROM index_entries').run();
    raw.close();
    const e = freshEngine(0, dir);
    expect(e.find('db', 'c', { filter: { _id: 2 } })).toHaveLength(1);
    expect(e.insert('db', 'c', [{ email: 'a' }], true).writeErrors[0]?.code).toBe(11000);
    expect(e.insert('db', 'c', [{ _id: 1 }], true).writeErrors[0]?.code).toBe(11000);
  });

  test('a folder of a newer, unknown format is refused with a clear error', () => {
    const dir = tempDir();
    freshEngine(0, dir).close();
    const raw = new Database(path.join(dir, DATABASE_FILE));
    raw.prepare(`UPDATE meta SET value = ? WHERE key = 'formatVersion'`).run(String(FORMAT_VERSION + 1));
    raw.close();
    expect(() => openEngine({ dataDir: dir, ttlIntervalMs: 0 })).toThrow(/newer than this server/);
  });
});
