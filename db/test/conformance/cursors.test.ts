/**
 * Cursors over many batches: find/aggregate first batches, getMore, killCursors and the driver's close()
 * (https://www.mongodb.com/docs/manual/reference/command/getMore/).
 */
import { Long, MongoClient, type ClientSession, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectServerError, startTestDatabase, type AnyDoc, type TestDatabase } from '../helpers';

const TOTAL = 1000;
let tdb: TestDatabase;
let db: Db;
// MongoDB ties a cursor to the session that opened it, so the raw cursor commands share one session.
let session: ClientSession;

beforeAll(async () => {
  tdb = await startTestDatabase();
  db = tdb.client.db(tdb.dbName);
  session = tdb.client.startSession();
  await db
    .collection<AnyDoc>('many')
    .insertMany(Array.from({ length: TOTAL }, (_, i) => ({ _id: i, even: i % 2 === 0 })));
});

afterAll(async () => {
  await session.endSession();
  await tdb.close();
});

/** Runs a raw command keeping 64-bit integers as Long, since cursor ids must be sent back as longs. */
async function raw(command: Document): Promise<Document> {
  return db.command(command, { promoteLongs: false, session });
}

function cursorId(reply: Document): Long {
  const id = (reply.cursor as Document).id as unknown;
  expect(id).toBeInstanceOf(Long);
  return id as Long;
}

describe('cursors', () => {
  it('returns 1,000 documents in batches of 7 through the driver, in order', async () => {
    const docs = await db.collection<AnyDoc>('many').find({}, { batchSize: 7 }).sort({ _id: 1 }).toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  });

  it('pages through find with getMore until the cursor id is 0', async () => {
    const first = await raw({ find: 'many', filter: {}, sort: { _id: 1 }, batchSize: 7 });
    const cursor = first.cursor as Document;
    expect(cursor.ns).toBe(`${tdb.dbName}.many`);
    expect(cursor.firstBatch).toHaveLength(7);
    let id = cursorId(first);
    expect(id.isZero()).toBe(false);

    const seen: number[] = (cursor.firstBatch as Document[]).map((d) => Number(d._id));
    let getMores = 0;
    while (!id.isZero()) {
      const next = await raw({ getMore: id, collection: 'many', batchSize: 7 });
      getMores += 1;
      const batch = (next.cursor as Document).nextBatch as Document[];
      expect(batch.length).toBeLessThanOrEqual(7);
      seen.push(...batch.map((d) => Number(d._id)));
      id = cursorId(next);
      expect(getMores).toBeLessThan(200);
    }
    expect(getMores).toBeGreaterThanOrEqual(Math.ceil((TOTAL - 7) / 7));
    expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  });

  it('uses a default first batch of 101 documents', async () => {
    const first = await raw({ find: 'many', filter: {} });
    expect((first.cursor as Document).firstBatch).toHaveLength(101);
    await raw({ killCursors: 'many', cursors: [cursorId(first)] });
  });

  it('closes the cursor at once when the results fit in the first batch, and with singleBatch', async () => {
    const small = await raw({ find: 'many', filter: { _id: { $lt: 5 } }, batchSize: 10 });
    expect(cursorId(small).isZero()).toBe(true);
    const single = await raw({ find: 'many', filter: {}, batchSize: 10, singleBatch: true });
    expect((single.cursor as Document).firstBatch).toHaveLength(10);
    expect(cursorId(single).isZero()).toBe(true);
  });

  it('honours limit across batches', async () => {
    const docs = await db
      .collection<AnyDoc>('many')
      .find({ even: true }, { batchSize: 7, limit: 50 })
      .toArray();
    expect(docs).toHaveLength(50);
    for (const d of docs) expect(d.even).toBe(true);
  });

  it('kills a cursor with killCursors; a later getMore fails with CursorNotFound (43)', async () => {
    const first = await raw({ find: 'many', filter: {}, batchSize: 3 });
    const id = cursorId(first);
    const killed = await raw({ killCursors: 'many', cursors: [id] });
    expect((killed.cursorsKilled as Long[]).map(String)).toEqual([id.toString()]);
    await expectServerError(raw({ getMore: id, collection: 'many' }), 43);
  });

  it('reports unknown cursors as not found in killCursors', async () => {
    const bogus = Long.fromString('123456789012345');
    const reply = await raw({ killCursors: 'many', cursors: [bogus] });
    expect((reply.cursorsNotFound as Long[]).map(String)).toEqual([bogus.toString()]);
  });

  it("frees the server cursor when the driver's cursor is closed", async () => {
    const killed: Long[] = [];
    const client = await MongoClient.connect(tdb.url, { monitorCommands: true });
    try {
      client.on('commandStarted', (event) => {
        if (event.commandName === 'killCursors') killed.push(...(event.command.cursors as Long[]));
      });
      const ownSession = client.startSession();
      const cursor = client.db(tdb.dbName).collection('many').find({}, { batchSize: 5, session: ownSession });
      expect(await cursor.next()).not.toBeNull();
      await cursor.close();
      expect(killed).toHaveLength(1);
      const id = Long.fromValue(killed[0] as Long);
      await expectServerError(
        client.db(tdb.dbName).command({ getMore: id, collection: 'many' }, { session: ownSession }),
        43,
      );
      await ownSession.endSession();
    } finally {
      await client.close();
    }
  });

  it('pages an aggregation result with getMore', async () => {
    const first = await raw({
      aggregate: 'many',
      pipeline: [{ $match: { even: false } }, { $sort: { _id: -1 } }],
      cursor: { batchSize: 0 },
    });
    expect((first.cursor as Document).firstBatch).toHaveLength(0);
    let id = cursorId(first);
    const seen: number[] = [];
    while (!id.isZero()) {
      const next = await raw({ getMore: id, collection: 'many', batchSize: 64 });
      seen.push(...((next.cursor as Document).nextBatch as Document[]).map((d) => Number(d._id)));
      id = cursorId(next);
    }
    expect(seen).toHaveLength(TOTAL / 2);
    expect(seen[0]).toBe(TOTAL - 1);
    expect(seen.at(-1)).toBe(1);
  });

  it('returns an aggregation of 1,000 results through the driver in batches of 7', async () => {
    const docs = await db
      .collection('many')
      .aggregate<AnyDoc>([{ $sort: { _id: 1 } }, { $project: { _id: 1 } }], { batchSize: 7 })
      .toArray();
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: TOTAL }, (_, i) => i));
  });
});
