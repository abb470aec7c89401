import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  appendDocumentUpdates,
  compactStoredDocument,
  DocumentLoadError,
  loadDocumentState,
  loadStoredDocument,
  writeSnapshot,
} from '../../src/documents/store';
import { models } from '../../src/models/index';
import { startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterAll(async () => {
  await t.close();
});

/** Returns the updates a doc emits while `edit` runs, one per transaction. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const record = (u: Uint8Array) => updates.push(u);
  doc.on('update', record);
  edit();
  doc.off('update', record);
  return updates;
}

function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('t').toJSON();
}

describe('document store', () => {
  it('an unknown document loads as an empty document', async () => {
    const state = await loadDocumentState(t.conn, 'never-written');
    expect(textOf(state)).toBe('');
  });

  it('appends updates in sequence and loads them back in order', async () => {
    const source = new Y.Doc();
    const text = source.getText('t');
    const updates = updatesOf(source, () => {
      for (let i = 0; i < 50; i++) text.insert(text.length, `${i},`);
    });
    await appendDocumentUpdates(
      t.conn,
      'doc-a',
      updates.slice(0, 20).map((update) => ({ update, userId: 'u1' })),
    );
    const { lastSeq } = await appendDocumentUpdates(
      t.conn,
      'doc-a',
      updates.slice(20).map((update) => ({ update, userId: null })),
    );
    expect(lastSeq).toBe(50);
    expect(textOf(await loadDocumentState(t.conn, 'doc-a'))).toBe(text.toJSON());
    const seqs = (
      await models(t.conn).DocumentUpdate.find({ documentId: 'doc-a' }).sort({ seq: 1 }).lean()
    ).map((u) => u.seq);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('appends a batch larger than one command may carry (over 16 MB) and loads it back whole', async () => {
    const source = new Y.Doc();
    const text = source.getText('t');
    // Six pastes of 3 MB each: 18 MB of updates in one append.
    const updates = updatesOf(source, () => {
      for (let i = 0; i < 6; i++) text.insert(text.length, String(i).repeat(3_000_000));
    });
    expect(updates.reduce((n, u) => n + u.length, 0)).toBeGreaterThan(16 * 1024 * 1024);
    const { lastSeq } = await appendDocumentUpdates(
      t.conn,
      'doc-large',
      updates.map((update) => ({ update, userId: 'u1' })),
    );
    expect(lastSeq).toBe(6);
    const loaded = textOf(await loadDocumentState(t.conn, 'doc-large'));
    expect(loaded.length).toBe(18_000_000);
    expect(loaded === text.toJSON()).toBe(true);
  });

  it('a sequence number is taken once: a second insert with it is refused by the unique index', async () => {
    await appendDocumentUpdates(t.conn, 'doc-b', [
      { update: Y.encodeStateAsUpdate(new Y.Doc()), userId: null },
    ]);
    await expect(
      models(t.conn).DocumentUpdate.create({
        documentId: 'doc-b',
        seq: 1,
        update: Buffer.from([0, 0]),
        at: new Date(),
      }),
    ).rejects.toThrow(/duplicate key/);
  });

  it('compaction keeps the content identical and removes the covered log', async () => {
    const source = new Y.Doc();
    const text = source.getText('t');
    const updates = updatesOf(source, () => {
      for (let i = 0; i < 300; i++) {
        text.insert(Math.floor(text.length / 2), `w${i} `);
        if (i % 7 === 0) text.delete(0, 2);
      }
    });
    await appendDocumentUpdates(
      t.conn,
      'doc-c',
      updates.map((update) => ({ update, userId: 'u1' })),
    );
    expect(await compactStoredDocument(t.conn, 'doc-c')).toBe(updates.length);
    expect(await models(t.conn).DocumentUpdate.countDocuments({ documentId: 'doc-c' })).toBe(0);
    // Later updates go on top of the snapshot.
    const more = updatesOf(source, () => text.insert(0, 'after '));
    await appendDocumentUpdates(
      t.conn,
      'doc-c',
      more.map((update) => ({ update, userId: 'u2' })),
    );
    const loaded = await loadStoredDocument(t.conn, 'doc-c');
    expect(loaded.doc.getText('t').toJSON()).toBe(text.toJSON());
    expect(loaded.logEntries).toBe(1);
    expect(loaded.throughSeq).toBe(updates.length + 1);
  });

  it('a crash between writing the snapshot and deleting the log loses nothing and duplicates nothing', async () => {
    const source = new Y.Doc();
    const text = source.getText('t');
    const updates = updatesOf(source, () => {
      for (let i = 0; i < 40; i++) text.insert(text.length, 'ab');
    });
    await appendDocumentUpdates(
      t.conn,
      'doc-d',
      updates.map((update) => ({ update, userId: null })),
    );
    // The snapshot is written but the covered entries are still there (as after a crash mid-compaction).
    await models(t.conn).DocumentSnapshot.create({
      _id: 'doc-d',
      state: Buffer.from(Y.encodeStateAsUpdate(source)),
      throughSeq: 40,
      at: new Date(),
    });
    expect(textOf(await loadDocumentState(t.conn, 'doc-d'))).toBe(text.toJSON());
    // An older snapshot never replaces a newer one.
    await writeSnapshot(t.conn, 'doc-d', Y.encodeStateAsUpdate(new Y.Doc()), 10);
    expect(textOf(await loadDocumentState(t.conn, 'doc-d'))).toBe(text.toJSON());
  });

  it('a corrupt stored update makes loading fail instead of returning partial content', async () => {
    const source = new Y.Doc();
    const updates = updatesOf(source, () => source.getText('t').insert(0, 'hello'));
    await appendDocumentUpdates(t.conn, 'doc-e', [
      ...updates.map((update) => ({ update, userId: null })),
      { update: new Uint8Array([1, 2, 3, 4, 5, 200, 1, 0, 9]), userId: null },
    ]);
    await expect(loadStoredDocument(t.conn, 'doc-e')).rejects.toBeInstanceOf(DocumentLoadError);
    await expect(compactStoredDocument(t.conn, 'doc-e')).rejects.toBeInstanceOf(DocumentLoadError);
    // Nothing was written over.
    expect(await models(t.conn).DocumentUpdate.countDocuments({ documentId: 'doc-e' })).toBe(2);
    expect(await models(t.conn).DocumentSnapshot.countDocuments({ _id: 'doc-e' })).toBe(0);
  });
});
