/**
 * The browser's save indicator (web/src/lib/sync/save-status.ts) with a real y-websocket provider against
 * the real server and database: saving, saved once stored, offline, and offline edits saved after reconnecting.
 */
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDocumentState } from '@cope/db';
import { SaveStatus, type SaveSnapshot } from '../../web/src/lib/sync/save-status.js';
import { startSyncServer, waitUntil, webSocketWithOrigin, type SyncTestServer } from './sync-support.js';

let running: SyncTestServer | undefined;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await running?.close();
  running = undefined;
});

function tracked(t: SyncTestServer, documentId: string) {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${t.wsUrl}/sync`, documentId, doc, {
    WebSocketPolyfill: webSocketWithOrigin(t.origin) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: false,
  });
  const status = new SaveStatus(provider, doc);
  const seen: SaveSnapshot[] = [];
  status.subscribe((s) => seen.push(s));
  provider.connect();
  cleanups.push(() => {
    status.destroy();
    provider.destroy();
  });
  return { doc, provider, status, seen };
}

function stored(t: SyncTestServer, documentId: string): Promise<string> {
  return loadDocumentState(t.db.connection, documentId).then((state) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    return doc.getText('body').toJSON();
  });
}

describe('SaveStatus', () => {
  it('goes saving → saved, and saved means stored in the database', async () => {
    running = await startSyncServer();
    const t = running;
    const { doc, provider, status, seen } = tracked(t, 'doc-save');
    await waitUntil(() => provider.synced, 'sync');
    expect(status.snapshot).toEqual({ state: 'saved', hasUnsaved: false, refused: false });
    doc.getText('body').insert(0, 'hello');
    expect(status.snapshot.state).toBe('saving');
    expect(status.snapshot.hasUnsaved).toBe(true);
    await waitUntil(() => status.snapshot.state === 'saved', 'saved');
    // Checked at once: what it calls saved is in the database.
    expect(await stored(t, 'doc-save')).toBe('hello');
    expect(seen.map((s) => s.state)).toContain('saving');
  });

  it('is offline while disconnected with the changes unsaved, and saves them after reconnecting', async () => {
    running = await startSyncServer();
    const t = running;
    const { doc, provider, status } = tracked(t, 'doc-offline');
    await waitUntil(() => provider.synced, 'sync');
    provider.disconnect();
    await waitUntil(() => status.snapshot.state === 'offline', 'offline');
    doc.getText('body').insert(0, 'typed offline');
    expect(status.snapshot).toEqual({ state: 'offline', hasUnsaved: true, refused: false });
    provider.connect();
    await waitUntil(() => status.snapshot.state === 'saved', 'saved after reconnecting');
    expect(status.snapshot.hasUnsaved).toBe(false);
    expect(await stored(t, 'doc-offline')).toBe('typed offline');
  });

  it('reports a read-only refusal and keeps the change unsaved', async () => {
    running = await startSyncServer();
    const t = running;
    const { doc, provider, status } = tracked(t, 'doc-view-readonly');
    await waitUntil(() => provider.synced, 'sync');
    doc.getText('body').insert(0, 'not allowed');
    await waitUntil(() => status.snapshot.refused, 'the refusal');
    expect(status.snapshot.hasUnsaved).toBe(true);
    expect(await stored(t, 'doc-view-readonly')).toBe('');
  });
});
