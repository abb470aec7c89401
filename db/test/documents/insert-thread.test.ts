/**
 * The insert thread against the real test database: what it stores is what the connection's own client would
 * store, a refused insert comes back as a refusal, and a thread that stopped fails what it had pending and
 * starts again with the next insert.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InsertThread } from '../../src/documents/insert-thread';
import { appendDocumentUpdates, loadStoredDocument } from '../../src/documents/store';
import { DUPLICATE_KEY } from '../../src/mongo-errors';
import { models } from '../../src/models/index';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
let thread: InsertThread;
beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterEach(async () => {
  await thread.close();
});
afterAll(async () => {
  await t.close();
});

const start = () => (thread = new InsertThread(t.db.url, t.db.dbName, pino({ level: 'silent' })));

/** `count` single-character edits of one Y.Doc, as updates to store. */
function edits(count: number, userId: string | null = 'u1') {
  const doc = new Y.Doc();
  const updates: { update: Uint8Array; userId: string | null }[] = [];
  doc.on('update', (update: Uint8Array) => updates.push({ update, userId }));
  for (let i = 0; i < count; i++) doc.getText('t').insert(i, String(i % 10));
  return updates;
}

describe('insert thread', () => {
  it('stores updates that load back as the document, with the same fields as the connection stores', async () => {
    start();
    const updates = edits(30);
    await appendDocumentUpdates(t.conn, 'thread-doc', updates.slice(0, 10), { via: thread.command });
    expect(thread.running).toBe(true);
    await appendDocumentUpdates(t.conn, 'thread-doc', updates.slice(10), { via: thread.command });
    const loaded = await loadStoredDocument(t.conn, 'thread-doc');
    expect(loaded.doc.getText('t').toJSON()).toBe('0123456789'.repeat(3));
    expect(loaded.throughSeq).toBe(30);

    await appendDocumentUpdates(t.conn, 'direct-doc', edits(1));
    const { DocumentUpdate } = models(t.conn);
    const viaThread = await DocumentUpdate.collection.findOne({ documentId: 'thread-doc', seq: 1 });
    const direct = await DocumentUpdate.collection.findOne({ documentId: 'direct-doc', seq: 1 });
    // The same BSON types either way: an ObjectId `_id`, binary update bytes, a date.
    for (const stored of [viaThread, direct]) {
      expect((stored?._id as object | undefined)?.constructor.name).toBe('ObjectId');
      expect((stored?.update as object | undefined)?.constructor.name).toBe('Binary');
      expect(stored?.at).toBeInstanceOf(Date);
      expect(stored?.userId).toBe('u1');
    }
  });

  it('gives a refused insert back as a refusal, and the append then numbers the batch again', async () => {
    start();
    const updates = edits(4);
    await appendDocumentUpdates(t.conn, 'taken-doc', updates.slice(0, 2), { via: thread.command });
    const { DocumentUpdate } = models(t.conn);
    const refusal = await thread.command(DocumentUpdate.collection.collectionName, [
      { documentId: 'taken-doc', seq: 2, update: new Uint8Array([0, 0]), userId: null, at: new Date() },
    ]);
    expect(refusal.writeErrors?.[0]?.code).toBe(DUPLICATE_KEY);
    expect(refusal.writeErrors?.[0]?.index).toBe(0);

    // An append that believes the log ends at 1 collides with seq 2, reads the log again and goes on after it.
    const { lastSeq } = await appendDocumentUpdates(t.conn, 'taken-doc', updates.slice(2), {
      via: thread.command,
      afterSeq: 1,
    });
    expect(lastSeq).toBe(4);
    const loaded = await loadStoredDocument(t.conn, 'taken-doc');
    expect(loaded.doc.getText('t').toJSON()).toBe('0123');
  });

  it('fails what was pending when the thread stops, and the next insert starts it again', async () => {
    start();
    const updates = edits(3);
    await appendDocumentUpdates(t.conn, 'restart-doc', updates.slice(0, 1), { via: thread.command });
    const { DocumentUpdate } = models(t.conn);
    const pending = appendDocumentUpdates(t.conn, 'restart-doc', updates.slice(1, 2), {
      via: thread.command,
      afterSeq: 1,
    });
    await thread.stopForTest();
    await expect(pending).rejects.toThrow(/insert thread stopped/);
    expect(thread.running).toBe(false);

    // The group commit retries what failed: a batch that did reach the database is stored again under new
    // numbers, which replays the same Yjs update (harmless); nothing is lost.
    const stored = await DocumentUpdate.collection.countDocuments({ documentId: 'restart-doc' });
    const { lastSeq } = await appendDocumentUpdates(t.conn, 'restart-doc', updates.slice(1), {
      via: thread.command,
      afterSeq: stored,
    });
    expect(thread.running).toBe(true);
    expect(lastSeq).toBe(stored + 2);
    const loaded = await loadStoredDocument(t.conn, 'restart-doc');
    expect(loaded.doc.getText('t').toJSON()).toBe('012');
  });

  it('refuses inserts once closed', async () => {
    start();
    await appendDocumentUpdates(t.conn, 'closed-doc', edits(1), { via: thread.command });
    await thread.close();
    expect(thread.running).toBe(false);
    await expect(
      appendDocumentUpdates(t.conn, 'closed-doc', edits(1), { via: thread.command, afterSeq: 1 }),
    ).rejects.toThrow(/insert thread is closed/);
  });
});
