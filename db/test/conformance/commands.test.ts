/**
 * Administrative and catalogue commands, as MongoDB documents them
 * (https://www.mongodb.com/docs/manual/reference/command/).
 */
import { UUID, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectServerError, startTestDatabase, waitFor, type AnyDoc, type TestDatabase } from '../helpers';

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  tdb = await startTestDatabase();
  db = tdb.client.db(tdb.dbName);
});

afterAll(async () => {
  await tdb.close();
});

describe('handshake and server information', () => {
  it('answers hello as a writable standalone primary with the documented limits', async () => {
    const hello = await db.admin().command({ hello: 1 });
    expect(hello.ok).toBe(1);
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxBsonObjectSize).toBe(16 * 1024 * 1024);
    expect(hello.maxMessageSizeBytes).toBe(48_000_000);
    expect(hello.maxWriteBatchSize).toBe(100_000);
    expect(hello.localTime).toBeInstanceOf(Date);
    expect(typeof hello.minWireVersion).toBe('number');
    // The official driver 7 needs a server of at least MongoDB 4.2 (wire version 8).
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(8);
    expect(hello.setName).toBeUndefined();
    expect(hello.msg).toBeUndefined(); // 'isdbgrid' would mean mongos
  });

  it('answers the legacy isMaster command with ismaster: true', async () => {
    const isMaster = await db.admin().command({ isMaster: 1 });
    expect(isMaster.ok).toBe(1);
    expect(isMaster.ismaster).toBe(true);
  });

  it('answers ping', async () => {
    await expect(db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });

  it('reports buildInfo with a version and a matching versionArray', async () => {
    const info = await db.admin().command({ buildInfo: 1 });
    expect(typeof info.version).toBe('string');
    expect(Array.isArray(info.versionArray)).toBe(true);
    const versionArray = info.versionArray as unknown[];
    expect(versionArray).toHaveLength(4);
    for (const part of versionArray) expect(typeof part).toBe('number');
    expect((info.version as string).startsWith(versionArray.slice(0, 3).join('.'))).toBe(true);
  });

  it('reports serverStatus basics', async () => {
    const status = await db.admin().command({ serverStatus: 1 });
    expect(status.ok).toBe(1);
    expect(typeof status.version).toBe('string');
    expect(typeof status.uptime).toBe('number');
    expect(status.localTime).toBeInstanceOf(Date);
    expect(typeof status.pid === 'number' || typeof status.pid === 'object').toBe(true);
  });

  it('answers getParameter, endSessions and killAllSessions', async () => {
    const fcv = await db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 });
    expect(fcv.ok).toBe(1);
    expect(typeof (fcv.featureCompatibilityVersion as { version?: unknown } | undefined)?.version).toBe(
      'string',
    );
    await expect(db.admin().command({ endSessions: [{ id: new UUID() }] })).resolves.toMatchObject({ ok: 1 });
    await expect(db.admin().command({ killAllSessions: [] })).resolves.toMatchObject({ ok: 1 });
  });

  it('applies unacknowledged (w: 0, moreToCome) writes without replying', async () => {
    const coll = db.collection<AnyDoc>('unacknowledged');
    const result = await coll.insertOne({ _id: 'w0' }, { writeConcern: { w: 0 } });
    expect(result.acknowledged).toBe(false);
    // The connection must still be in step: the next command gets its own reply.
    await expect(db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    expect(await waitFor(async () => (await coll.countDocuments({ _id: 'w0' })) === 1, 5_000)).toBe(true);
  });

  it('refuses an unknown command with CommandNotFound (59)', async () => {
    const error = await expectServerError(db.command({ noSuchCommandAtAll: 1 }), 59);
    expect(error.codeName).toBe('CommandNotFound');
  });

  it('keeps the connection usable after an error', async () => {
    await expectServerError(db.command({ noSuchCommandAtAll: 1 }), 59);
    await expect(db.command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
  });
});

describe('databases and collections', () => {
  it('lists a database once it holds data', async () => {
    await db.collection<AnyDoc>('listed').insertOne({ a: 1 });
    const { databases } = await db.admin().listDatabases();
    const mine = databases.find((d) => d.name === tdb.dbName);
    expect(mine).toBeDefined();
    expect(typeof mine?.sizeOnDisk).toBe('number');
    expect(mine?.empty).toBe(false);
  });

  it('lists collections, with a filter and with nameOnly', async () => {
    await db.createCollection('lc_a');
    await db.createCollection('lc_b');
    const all = await db.listCollections().toArray();
    const names = all.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['lc_a', 'lc_b']));
    const a = all.find((c) => c.name === 'lc_a');
    expect(a?.type).toBe('collection');

    const filtered = await db.listCollections({ name: 'lc_b' }).toArray();
    expect(filtered.map((c) => c.name)).toEqual(['lc_b']);

    const nameOnly = await db.listCollections({}, { nameOnly: true }).toArray();
    expect(nameOnly.map((c) => c.name)).toEqual(expect.arrayContaining(['lc_a', 'lc_b']));
  });

  it('refuses to create an existing collection with NamespaceExists (48)', async () => {
    await db.command({ create: 'twice' });
    const error = await expectServerError(db.command({ create: 'twice' }), 48);
    expect(error.codeName).toBe('NamespaceExists');
  });

  it('creates a collection implicitly on first insert', async () => {
    await db.collection<AnyDoc>('implicit').insertOne({ x: 1 });
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).toContain('implicit');
  });

  it('drops a collection with its documents', async () => {
    const coll = db.collection<AnyDoc>('to_drop');
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    await expect(coll.drop()).resolves.toBe(true);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('to_drop');
    expect(await coll.countDocuments()).toBe(0);
  });

  it('drops a whole database', async () => {
    const other = tdb.client.db(`${tdb.dbName}_other`);
    await other.collection('c').insertOne({ a: 1 });
    await expect(other.dropDatabase()).resolves.toBe(true);
    const { databases } = await db.admin().listDatabases();
    expect(databases.map((d) => d.name)).not.toContain(`${tdb.dbName}_other`);
    expect(await other.collection('c').countDocuments()).toBe(0);
  });

  it('renames a collection, refusing an existing target unless dropTarget is set', async () => {
    const from = db.collection<AnyDoc>('rename_from');
    await from.insertMany([{ _id: 1 }, { _id: 2 }]);
    await db.collection<AnyDoc>('rename_taken').insertOne({ _id: 99 });

    await expectServerError(from.rename('rename_taken'), 48);

    const renamed = await from.rename('rename_to');
    expect(renamed.collectionName).toBe('rename_to');
    expect(await db.collection<AnyDoc>('rename_to').countDocuments()).toBe(2);
    expect(await db.collection<AnyDoc>('rename_from').countDocuments()).toBe(0);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names).not.toContain('rename_from');

    await db.collection<AnyDoc>('rename_to').rename('rename_taken', { dropTarget: true });
    const ids = (await db.collection<AnyDoc>('rename_taken').find().sort({ _id: 1 }).toArray()).map(
      (d) => d._id,
    );
    expect(ids).toEqual([1, 2]);
  });
});

describe('renameCollection across databases', () => {
  it('moves a collection to another database with the admin command', async () => {
    const target = `${tdb.dbName}_renamed`;
    await db.collection<AnyDoc>('cross_from').insertMany([{ _id: 1 }, { _id: 2 }]);
    await db.admin().command({ renameCollection: `${tdb.dbName}.cross_from`, to: `${target}.cross_to` });
    expect(await tdb.client.db(target).collection('cross_to').countDocuments()).toBe(2);
    expect(await db.collection('cross_from').countDocuments()).toBe(0);
    await tdb.client.db(target).dropDatabase();
  });

  it('refuses to rename a missing collection with NamespaceNotFound (26)', async () => {
    await expectServerError(
      db.admin().command({ renameCollection: `${tdb.dbName}.never_there`, to: `${tdb.dbName}.anything` }),
      26,
    );
  });
});

describe('counting and distinct', () => {
  beforeAll(async () => {
    await db.collection<AnyDoc>('counted').insertMany([
      { k: 'a', n: 1, tags: ['x', 'y'] },
      { k: 'a', n: 2, tags: ['y', 'z'] },
      { k: 'b', n: 3, tags: 'w' },
      { k: 'c', n: 4 },
      { k: 'c', n: 5, tags: [] },
    ]);
  });

  it('counts with the count command, query, skip and limit', async () => {
    expect((await db.command({ count: 'counted' })).n).toBe(5);
    expect((await db.command({ count: 'counted', query: { k: 'a' } })).n).toBe(2);
    expect((await db.command({ count: 'counted', query: {}, skip: 1, limit: 2 })).n).toBe(2);
    expect((await db.command({ count: 'counted', query: {}, skip: 4 })).n).toBe(1);
    expect((await db.command({ count: 'no_such_collection' })).n).toBe(0);
  });

  it('counts with countDocuments and estimatedDocumentCount', async () => {
    const coll = db.collection<AnyDoc>('counted');
    expect(await coll.countDocuments()).toBe(5);
    expect(await coll.countDocuments({ n: { $gte: 3 } })).toBe(3);
    expect(await coll.countDocuments({}, { skip: 1, limit: 3 })).toBe(3);
    expect(await coll.estimatedDocumentCount()).toBe(5);
  });

  it('returns distinct values, flattening arrays', async () => {
    const coll = db.collection<AnyDoc>('counted');
    expect((await coll.distinct('k')).sort()).toEqual(['a', 'b', 'c']);
    expect((await coll.distinct('tags')).sort()).toEqual(['w', 'x', 'y', 'z']);
    expect((await coll.distinct('k', { n: { $gt: 2 } })).sort()).toEqual(['b', 'c']);
    await db
      .collection<AnyDoc>('distinct_paths')
      .insertMany([
        { items: [{ sku: 'x' }, { sku: 'y' }] },
        { items: [{ sku: 'y' }, { sku: 'z' }] },
        { items: { sku: 'w' } },
      ]);
    expect((await db.collection<AnyDoc>('distinct_paths').distinct('items.sku')).sort()).toEqual([
      'w',
      'x',
      'y',
      'z',
    ]);
    expect(await db.collection<AnyDoc>('no_such_collection').distinct('k')).toEqual([]);
  });
});

describe('statistics', () => {
  it('reports collStats basics', async () => {
    const coll = db.collection<AnyDoc>('stats');
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ i, s: 'x'.repeat(100) })));
    const stats = await db.command({ collStats: 'stats' });
    expect(stats.ok).toBe(1);
    expect(stats.ns).toBe(`${tdb.dbName}.stats`);
    expect(stats.count).toBe(20);
    expect(stats.size).toBeGreaterThan(20 * 100);
    expect(typeof stats.storageSize).toBe('number');
    expect(stats.nindexes).toBeGreaterThanOrEqual(1);
    expect(typeof stats.totalIndexSize).toBe('number');
  });

  it('reports dbStats basics', async () => {
    const stats = await db.stats();
    expect(stats.ok).toBe(1);
    expect(stats.db).toBe(tdb.dbName);
    expect(stats.collections).toBeGreaterThanOrEqual(1);
    expect(stats.objects).toBeGreaterThanOrEqual(20);
    expect(stats.dataSize).toBeGreaterThan(0);
    expect(typeof stats.storageSize).toBe('number');
    expect(stats.indexes).toBeGreaterThanOrEqual(1);
  });
});
