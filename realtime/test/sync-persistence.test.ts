/**
 * The sync server's persistence, with real y-websocket clients over real sockets and the real embedded
 * database: convergence under random disconnects, stored-acknowledgements, bad frames, unloadable documents,
 * compaction, idle unload, the size limit, automatic versions and a live restore.
 */
import { CLOSE_CODES, encodeStoredAck } from '@cope/domain';
import { appendDocumentUpdates, listVersions, loadDocumentState, models, versionState } from '@cope/db';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { documentServices } from '../src/sync/document-services.js';
import {
  closeOf,
  provider,
  seeded,
  startSyncServer,
  waitUntil,
  type CountingProvider,
  type SyncTestServer,
} from './sync-support.js';

let running: SyncTestServer | undefined;
const providers: CountingProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  await running?.close();
  running = undefined;
});

function open(t: SyncTestServer, documentId: string, options: Parameters<typeof provider>[3] = {}) {
  const p = provider(t.origin, t.wsUrl, documentId, options);
  providers.push(p);
  return p;
}

function textOfState(state: Uint8Array, name = 'body'): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText(name).toJSON();
}

/** A raw socket speaking the protocol by hand (to send exact frames and read exact answers). */
async function rawSocket(
  t: SyncTestServer,
  documentId: string,
): Promise<{ ws: WebSocket; frames: Uint8Array[] }> {
  const ws = new WebSocket(`${t.wsUrl}/sync/${documentId}`, { headers: { origin: t.origin } });
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames };
}

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('sync persistence', () => {
  it('five clients editing at random with random disconnects converge, and the stored document equals them', async () => {
    const seed = Number(process.env.SYNC_SEED ?? Date.now() % 100_000);
    console.info(`sync convergence seed: ${seed} (replay with SYNC_SEED=${seed})`);
    const random = seeded(seed);
    running = await startSyncServer();
    const t = running;
    const clients = Array.from({ length: 5 }, (_, i) => open(t, 'doc-converge', { user: `u${i}` }));
    await waitUntil(() => clients.every((c) => c.synced), 'the clients to sync');
    for (let step = 0; step < 400; step++) {
      const client = clients[Math.floor(random() * clients.length)];
      if (!client) continue;
      const text = client.doc.getText('body');
      const roll = random();
      if (roll < 0.05) {
        if (client.shouldConnect) client.disconnect();
        else client.connect();
      } else if (roll < 0.8 || text.length === 0) {
        text.insert(Math.floor(random() * (text.length + 1)), `${step}${'abc'[step % 3]}`);
      } else {
        const at = Math.floor(random() * text.length);
        text.delete(at, Math.min(3, text.length - at));
      }
      if (step % 20 === 0) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 10)));
    }
    for (const c of clients) if (!c.shouldConnect) c.connect();
    await waitUntil(() => clients.every((c) => c.synced), 'every client to resync');
    const expected = () => clients[0]?.doc.getText('body').toJSON();
    await waitUntil(
      () => clients.every((c) => c.doc.getText('body').toJSON() === expected()),
      'the clients to converge',
    );
    await waitUntil(
      () => clients.every((c) => c.settled === c.sentDocumentFrames),
      'every change to be acknowledged as stored',
    );
    expect(expected()?.length).toBeGreaterThan(0);
    // The document loaded fresh from the database is the same.
    expect(textOfState(await loadDocumentState(t.db.connection, 'doc-converge'))).toBe(expected());
  });

  it('acknowledges exactly the frames sent, within 100 ms plus the commit, and stores exactly them', async () => {
    running = await startSyncServer();
    const { ws, frames } = await rawSocket(running, 'doc-ack');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 25; i++) source.getText('body').insert(i, 'x');
    const sentAt = performance.now();
    for (const update of updates) ws.send(updateFrame(update));
    await waitUntil(() => frames.some((f) => f[0] === 100 && f[1] === 25), 'the acknowledgement of all 25');
    const elapsed = performance.now() - sentAt;
    console.info(`stored-ack for 25 updates after ${elapsed.toFixed(1)} ms`);
    expect(elapsed).toBeLessThan(500);
    // Every acknowledgement is a prefix count: never more than was sent, never going back.
    const acks = frames.filter((f) => f[0] === 100).map((f) => f[1] ?? 0);
    expect(acks).toEqual([...acks].sort((a, b) => a - b));
    expect(Math.max(...acks)).toBe(25);
    expect(frames.filter((f) => f[0] === 100).at(-1)).toEqual(encodeStoredAck(25));
    const stored = await models(running.db.connection)
      .DocumentUpdate.find({ documentId: 'doc-ack' })
      .sort({ seq: 1 })
      .lean();
    expect(stored.map((s) => s.userId)).toEqual(Array.from({ length: 25 }, () => 'tester'));
    expect(stored).toHaveLength(25);
    expect(textOfState(await loadDocumentState(running.db.connection, 'doc-ack'))).toBe('x'.repeat(25));
    ws.close();
  });

  it('stores through the insert thread; a thread that stopped starts again and nothing is lost', async () => {
    running = await startSyncServer();
    const { ws, frames } = await rawSocket(running, 'doc-insert-thread');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    const acked = (count: number) => frames.some((f) => f[0] === 100 && f[1] === count);
    source.getText('body').insert(0, 'a');
    ws.send(updateFrame(updates[0]!));
    await waitUntil(() => acked(1), 'the first acknowledgement');
    expect(running.db.inserts.running).toBe(true);

    // The thread stops (as a crash would) between two edits: the next commit starts it again.
    await running.db.inserts.stopForTest();
    expect(running.db.inserts.running).toBe(false);
    source.getText('body').insert(1, 'b');
    ws.send(updateFrame(updates[1]!));
    await waitUntil(() => acked(2), 'the second acknowledgement');
    expect(running.db.inserts.running).toBe(true);
    expect(textOfState(await loadDocumentState(running.db.connection, 'doc-insert-thread'))).toBe('ab');
    ws.close();
  });

  it('garbage and oversized frames close that one connection and never reach the stored document', async () => {
    running = await startSyncServer();
    const good = open(running, 'doc-bad');
    await waitUntil(() => good.synced, 'sync');
    good.doc.getText('body').insert(0, 'kept');
    await waitUntil(() => good.settled === good.sentDocumentFrames, 'stored');

    const garbage = await rawSocket(running, 'doc-bad');
    const garbageClosed = closeOf(garbage.ws);
    garbage.ws.send(Uint8Array.from([0, 2, 9, 1, 2, 3, 4, 5, 200, 1, 0])); // an update whose payload is not Yjs
    expect((await garbageClosed).code).toBe(CLOSE_CODES.protocolError);

    const oversized = await rawSocket(running, 'doc-bad');
    const oversizedClosed = closeOf(oversized.ws);
    oversized.ws.send(new Uint8Array(5 * 1024 * 1024));
    expect((await oversizedClosed).code).toBe(CLOSE_CODES.frameTooLarge);

    good.doc.getText('body').insert(4, ' and more');
    await waitUntil(() => good.settled === good.sentDocumentFrames, 'the good client to go on');
    const stored = await models(running.db.connection).DocumentUpdate.find({ documentId: 'doc-bad' }).lean();
    // Only the good client's two changes were stored.
    expect(stored).toHaveLength(2);
    expect(textOfState(await loadDocumentState(running.db.connection, 'doc-bad'))).toBe('kept and more');
  });

  it('forwards an update frame to the others byte for byte, turns a step 2 into an update, never echoes', async () => {
    running = await startSyncServer();
    const writer = await rawSocket(running, 'doc-forward');
    const reader = await rawSocket(running, 'doc-forward');
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('body').insert(0, 'hello');
    source.getText('body').insert(5, ' world');
    const [first, second] = updates;
    if (first === undefined || second === undefined) throw new Error('two updates expected');
    const isUpdateFrame = (frame: Uint8Array) => frame[0] === 0 && frame[1] === 2;
    // Both are in the room once the server has greeted them with its sync step 1.
    await waitUntil(() => reader.frames.length > 0 && writer.frames.length > 0, 'both to join');
    const readerBefore = reader.frames.length;
    const writerBefore = writer.frames.length;

    const frame = updateFrame(first);
    writer.ws.send(frame);
    await waitUntil(() => reader.frames.slice(readerBefore).some(isUpdateFrame), 'the forwarded update');
    expect(reader.frames.slice(readerBefore).find(isUpdateFrame)).toEqual(frame);

    // A sync step 2 carries an update too, but also means "you are in sync": others get it as an update.
    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, 0);
    syncProtocol.writeSyncStep2(step2, source, Y.encodeStateVector(new Y.Doc()));
    writer.ws.send(encoding.toUint8Array(step2));
    await waitUntil(() => reader.frames.slice(readerBefore).filter(isUpdateFrame).length === 2, 'the step 2');
    writer.ws.send(updateFrame(second));
    await waitUntil(() => reader.frames.slice(readerBefore).filter(isUpdateFrame).length === 3, 'the third');
    const received = new Y.Doc();
    for (const f of reader.frames.slice(readerBefore).filter(isUpdateFrame)) {
      const decoder = decoding.createDecoder(f);
      decoding.readVarUint(decoder);
      decoding.readVarUint(decoder);
      Y.applyUpdate(received, decoding.readVarUint8Array(decoder));
    }
    expect(received.getText('body').toJSON()).toBe('hello world');
    // The writer hears acknowledgements, never its own updates back.
    expect(writer.frames.slice(writerBefore).filter(isUpdateFrame)).toEqual([]);
  });

  it('refuses a document that fails to load (4503) and never writes over it', async () => {
    running = await startSyncServer();
    const conn = running.db.connection;
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('body').insert(0, 'precious');
    await appendDocumentUpdates(conn, 'doc-corrupt', [
      ...updates.map((update) => ({ update, userId: null })),
      { update: Uint8Array.from([1, 2, 3, 4, 5, 200, 1, 0, 9]), userId: null },
    ]);
    const before = await models(conn).DocumentUpdate.find({ documentId: 'doc-corrupt' }).lean();
    const ws = new WebSocket(`${running.wsUrl}/sync/doc-corrupt`, { headers: { origin: running.origin } });
    // It tries to write at once: nothing it sends may land.
    ws.on('open', () => ws.send(updateFrame(updates[0] ?? new Uint8Array())));
    expect((await closeOf(ws)).code).toBe(CLOSE_CODES.documentUnavailable);
    expect(running.server.sync.roomCount).toBe(0);
    const after = await models(conn).DocumentUpdate.find({ documentId: 'doc-corrupt' }).lean();
    expect(after.map((u) => u.seq)).toEqual(before.map((u) => u.seq));
    expect(await models(conn).DocumentSnapshot.countDocuments({ _id: 'doc-corrupt' })).toBe(0);
  });

  it('compaction keeps the content identical and the log short', async () => {
    running = await startSyncServer({ tuning: { compactEvery: 50 } });
    const editor = open(running, 'doc-compact');
    await waitUntil(() => editor.synced, 'sync');
    const text = editor.doc.getText('body');
    for (let i = 0; i < 230; i++) {
      text.insert(Math.floor(text.length / 2), `${i} `);
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await waitUntil(() => editor.settled === editor.sentDocumentFrames, 'all stored');
    const conn = running.db.connection;
    const snapshot = await models(conn).DocumentSnapshot.findById('doc-compact').lean();
    expect(snapshot).not.toBeNull();
    const logLeft = await models(conn).DocumentUpdate.countDocuments({ documentId: 'doc-compact' });
    expect(logLeft).toBeLessThan(230);
    expect(textOfState(await loadDocumentState(conn, 'doc-compact'))).toBe(text.toJSON());
  });

  it('unloads an idle room after the grace period (storing first) and loads it again on the next visit', async () => {
    running = await startSyncServer({ tuning: { unloadGraceMs: 100 } });
    const t = running;
    const first = open(t, 'doc-idle');
    await waitUntil(() => first.synced, 'sync');
    first.doc.getText('body').insert(0, 'remember me');
    await waitUntil(() => first.settled === first.sentDocumentFrames, 'stored');
    expect(t.server.sync.roomCount).toBe(1);
    first.destroy();
    await waitUntil(() => t.server.sync.roomCount === 0, 'the room to unload');
    // Unloading compacted the log into the snapshot.
    expect(await models(t.db.connection).DocumentUpdate.countDocuments({ documentId: 'doc-idle' })).toBe(0);
    const second = open(t, 'doc-idle');
    await waitUntil(() => second.synced, 'sync again');
    expect(second.doc.getText('body').toJSON()).toBe('remember me');
  });

  it('refuses an update that would make the document too large (4413), storing nothing of it', async () => {
    running = await startSyncServer({ tuning: { maxDocumentBytes: 2000 } });
    const writer = open(running, 'doc-large');
    await waitUntil(() => writer.synced, 'sync');
    writer.doc.getText('body').insert(0, 'small');
    await waitUntil(() => writer.settled === writer.sentDocumentFrames, 'stored');
    const closed = new Promise<{ code: number }>((resolve) => writer.once('closed', resolve));
    writer.doc.getText('body').insert(0, 'y'.repeat(5000));
    expect((await closed).code).toBe(CLOSE_CODES.documentTooLarge);
    expect(textOfState(await loadDocumentState(running.db.connection, 'doc-large'))).toBe('small');
  });

  it('makes an automatic version after a pause, naming who edited, and reports edits to onDocumentEdited', async () => {
    const edited: { documentId: string; userIds: string[] }[] = [];
    running = await startSyncServer({
      tuning: { versionPauseMs: 150 },
      onDocumentEdited: (documentId, userIds) => {
        edited.push({ documentId, userIds });
      },
    });
    const t = running;
    const alice = open(t, 'doc-versions', { user: 'alice' });
    const bob = open(t, 'doc-versions', { user: 'bob' });
    await waitUntil(() => alice.synced && bob.synced, 'sync');
    alice.doc.getText('body').insert(0, 'Alice ');
    bob.doc.getText('body').insert(0, 'Bob ');
    await waitUntil(
      () => alice.settled === alice.sentDocumentFrames && bob.settled === bob.sentDocumentFrames,
      'stored',
    );
    let versions: Awaited<ReturnType<typeof listVersions>>['versions'] = [];
    for (let i = 0; i < 100 && versions.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      versions = (await listVersions(t.db.connection, 'doc-versions')).versions;
    }
    expect(versions).toHaveLength(1);
    expect(versions[0]?.kind).toBe('auto');
    expect([...(versions[0]?.editors ?? [])].sort()).toEqual(['alice', 'bob']);
    expect(edited.flatMap((e) => e.userIds).sort()).toContain('alice');
    expect(edited.every((e) => e.documentId === 'doc-versions')).toBe(true);
    const opened = await versionState(t.db.connection, 'doc-versions', versions[0]?.id ?? '');
    expect(textOfState(opened?.state ?? new Uint8Array()).length).toBe(alice.doc.getText('body').length);
  });

  it('reports edits to onDocumentEdited at once, then at most once per editedReportMs', async () => {
    const reports: { userIds: string[]; at: Date; reportedAt: number }[] = [];
    running = await startSyncServer({
      tuning: { editedReportMs: 1000, unloadGraceMs: 60_000 },
      onDocumentEdited: (_documentId, userIds, at) => {
        reports.push({ userIds, at, reportedAt: Date.now() });
      },
    });
    const t = running;
    const alice = open(t, 'doc-edited', { user: 'alice' });
    const bob = open(t, 'doc-edited', { user: 'bob' });
    await waitUntil(() => alice.synced && bob.synced, 'sync');
    const text = (p: CountingProvider) => p.doc.getText('body');
    const stored = (p: CountingProvider) => () => p.settled === p.sentDocumentFrames;
    // Alice's first edit is reported as soon as it is stored.
    text(alice).insert(0, 'a');
    await waitUntil(stored(alice), 'stored');
    await waitUntil(() => reports.length === 1, 'the first report');
    expect(reports[0]?.userIds).toEqual(['alice']);
    // Then commits one after the other for half a second, Bob's last: one report for them all, a second
    // after the first.
    let commits = 0;
    while (commits < 4 || Date.now() - (reports[0]?.reportedAt ?? 0) < 500) {
      const p = commits % 2 === 0 ? bob : alice;
      text(p).insert(0, String(commits));
      await waitUntil(stored(p), 'stored');
      commits++;
    }
    text(bob).insert(0, 'b');
    await waitUntil(stored(bob), 'stored');
    expect(reports).toHaveLength(1);
    await waitUntil(() => reports.length === 2, 'the second report');
    expect(reports[1]?.userIds).toEqual(['alice', 'bob']);
    expect((reports[1]?.reportedAt ?? 0) - (reports[0]?.reportedAt ?? 0)).toBeGreaterThanOrEqual(990);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(reports).toHaveLength(2);
  });

  it('reports the edits still waiting for their turn when the document is unloaded', async () => {
    const reports: { userIds: string[]; at: Date }[] = [];
    running = await startSyncServer({
      tuning: { editedReportMs: 60_000, unloadGraceMs: 60_000 },
      onDocumentEdited: (_documentId, userIds, at) => {
        reports.push({ userIds, at });
      },
    });
    const t = running;
    const alice = open(t, 'doc-edited-unload', { user: 'alice' });
    const bob = open(t, 'doc-edited-unload', { user: 'bob' });
    await waitUntil(() => alice.synced && bob.synced, 'sync');
    alice.doc.getText('body').insert(0, 'Alice ');
    await waitUntil(() => reports.length === 1, 'the first report');
    bob.doc.getText('body').insert(0, 'Bob ');
    await waitUntil(() => bob.settled === bob.sentDocumentFrames, 'stored');
    const storedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(reports).toHaveLength(1);
    alice.destroy();
    bob.destroy();
    // Unloaded once both connections are gone (the next report would otherwise be a minute away).
    for (let i = 0; i < 200 && reports.length < 2; i++) {
      await t.server.sync.rooms.unloadIdle();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(reports.map((r) => r.userIds)).toEqual([['alice'], ['bob']]);
    expect(reports[1]?.at.getTime()).toBeLessThanOrEqual(storedAt);
    expect(t.server.sync.rooms.loaded('doc-edited-unload')).toBeUndefined();
  });

  it('restoring a version reaches a connected client live, as a new change, and is stored', async () => {
    running = await startSyncServer();
    const t = running;
    const services = documentServices(t.db.connection, () => t.server.sync.rooms);
    const editor = open(t, 'doc-restore', { user: 'alice' });
    await waitUntil(() => editor.synced, 'sync');
    const fragment = editor.doc.getXmlFragment('default');
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', '2');
    const title = new Y.XmlText();
    title.insert(0, 'Methods', { bold: true });
    heading.insert(0, [title]);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('First draft')]);
    fragment.insert(0, [heading, paragraph]);
    await waitUntil(() => editor.settled === editor.sentDocumentFrames, 'stored');
    const version = await services.createNamedVersion('doc-restore', 'First draft', 'alice');
    const before = fragment.toJSON();

    fragment.delete(0, fragment.length);
    const other = new Y.XmlElement('paragraph');
    other.insert(0, [new Y.XmlText('Rewritten')]);
    fragment.insert(0, [other]);
    await waitUntil(() => editor.settled === editor.sentDocumentFrames, 'stored');
    expect(fragment.toJSON()).not.toBe(before);

    const restored = await services.restoreVersion('doc-restore', version.id, 'bob');
    expect(restored?.id).toBe(version.id);
    await waitUntil(() => fragment.toJSON() === before, 'the restore to arrive live');
    const restoredHeading = fragment.get(0) as Y.XmlElement;
    expect(restoredHeading.getAttribute('level')).toBe('2');
    expect((restoredHeading.get(0) as Y.XmlText).toDelta()).toEqual([
      { insert: 'Methods', attributes: { bold: true } },
    ]);
    // Stored, under the name of who restored it.
    const stateDoc = new Y.Doc();
    Y.applyUpdate(stateDoc, await loadDocumentState(t.db.connection, 'doc-restore'));
    expect(stateDoc.getXmlFragment('default').toJSON()).toBe(before);
    const last = await models(t.db.connection)
      .DocumentUpdate.findOne({ documentId: 'doc-restore' })
      .sort({ seq: -1 })
      .lean();
    expect(last?.userId).toBe('bob');
    expect(await services.restoreVersion('doc-restore', '0123456789abcdef01234567', 'bob')).toBeNull();
  });
});
