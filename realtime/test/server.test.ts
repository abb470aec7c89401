import { CLOSE_CODES } from '@cope/domain';
import { io as connectSocketIo } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { SyncAuthorizer } from '../src/sync/endpoint.js';
import { startTestServer, waitFor, type TestServer } from './helpers.js';

let running: TestServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** A `ws` client class that sends the given Origin, as a browser would. */
function webSocketWithOrigin(origin: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin } });
    }
  };
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

const allowTestDocuments: SyncAuthorizer = (_req, documentId) =>
  Promise.resolve(
    documentId.startsWith('doc')
      ? { allowed: true, readOnly: documentId.endsWith('-readonly') }
      : { allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' },
  );

function provider(t: TestServer, room: string, doc = new Y.Doc()): WebsocketProvider {
  return new WebsocketProvider(`${t.wsUrl}/sync`, room, doc, {
    WebSocketPolyfill: webSocketWithOrigin(t.origin) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
}

describe('health endpoints', () => {
  it('GET /healthz says the process is up and /readyz that the database answers', async () => {
    running = await startTestServer();
    const health = await fetch(`${running.httpUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    const ready = await fetch(`${running.httpUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up' });
  });

  it('/readyz answers 503 once the database is gone', async () => {
    running = await startTestServer();
    await running.db.close();
    const ready = await fetch(`${running.httpUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', database: 'down' });
  });

  it('keeps a well-formed X-Request-Id from a proxy and replaces a malformed one', async () => {
    running = await startTestServer();
    const kept = await fetch(`${running.httpUrl}/healthz`, { headers: { 'x-request-id': 'proxy-id-12345' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-id-12345');
    const replaced = await fetch(`${running.httpUrl}/healthz`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(replaced.headers.get('x-request-id')).not.toContain('bad');
  });
});

describe('socket.io at /socket.io/', () => {
  it('accepts a client from the configured origin and refuses another origin', async () => {
    running = await startTestServer();
    const good = connectSocketIo(running.httpUrl, {
      transports: ['websocket'],
      extraHeaders: { origin: running.origin },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      good.on('connect', resolve);
      good.on('connect_error', reject);
    });
    good.close();

    const bad = connectSocketIo(running.httpUrl, {
      transports: ['websocket'],
      extraHeaders: { origin: 'https://evil.example' },
      reconnection: false,
    });
    const error = await new Promise<Error>((resolve) => bad.on('connect_error', resolve));
    expect(error).toBeInstanceOf(Error);
    expect(bad.connected).toBe(false);
    bad.close();
  });
});

describe('the Yjs sync endpoint at /sync/<documentId>', () => {
  it('syncs two y-websocket providers editing the same document', async () => {
    running = await startTestServer({ authorizeSync: allowTestDocuments });
    const a = provider(running, 'doc-1');
    const b = provider(running, 'doc-1');
    await waitFor(() => a.synced && b.synced, 'both providers synced');
    a.doc.getText('body').insert(0, 'Research questions: ');
    b.doc.getText('body').insert(0, 'Methods. ');
    await waitFor(
      () =>
        a.doc.getText('body').toJSON() === b.doc.getText('body').toJSON() &&
        a.doc.getText('body').length === 'Research questions: '.length + 'Methods. '.length,
      'convergence',
    );
    // Awareness (presence) reaches the other side too.
    a.awareness.setLocalStateField('user', { name: 'Ana' });
    await waitFor(
      () =>
        [...b.awareness.getStates().values()].some(
          (s) => (s as { user?: { name: string } }).user?.name === 'Ana',
        ),
      'presence',
    );
    a.destroy();
    b.destroy();
  });

  it('refuses a wrong Origin, an unknown document and a malformed id with documented close codes', async () => {
    running = await startTestServer({ authorizeSync: allowTestDocuments });
    const wrongOrigin = new WebSocket(`${running.wsUrl}/sync/doc-1`, {
      headers: { origin: 'https://evil.example' },
    });
    expect((await closeOf(wrongOrigin)).code).toBe(CLOSE_CODES.forbiddenOrigin);
    const noOrigin = new WebSocket(`${running.wsUrl}/sync/doc-1`);
    expect((await closeOf(noOrigin)).code).toBe(CLOSE_CODES.forbiddenOrigin);
    const unknown = new WebSocket(`${running.wsUrl}/sync/other`, { headers: { origin: running.origin } });
    expect((await closeOf(unknown)).code).toBe(CLOSE_CODES.notFound);
    const malformed = new WebSocket(`${running.wsUrl}/sync/a%20b`, { headers: { origin: running.origin } });
    expect((await closeOf(malformed)).code).toBe(CLOSE_CODES.notFound);
  });

  it('refuses every document by default, until documents exist', async () => {
    running = await startTestServer();
    const ws = new WebSocket(`${running.wsUrl}/sync/doc-1`, { headers: { origin: running.origin } });
    expect(await closeOf(ws)).toEqual({ code: CLOSE_CODES.notFound, reason: 'no such document' });
  });

  it('does not let a read-only connection change the document', async () => {
    running = await startTestServer({ authorizeSync: allowTestDocuments });
    const editor = provider(running, 'doc-2-readonly');
    await waitFor(() => editor.synced, 'sync');
    editor.doc.getText('body').insert(0, 'forbidden');
    // The server keeps its own copy: it must stay empty.
    const room = [...running.server.sync['rooms'].values()][0];
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(room?.doc.getText('body').toJSON()).toBe('');
    editor.destroy();
  });

  it('closes a connection that sends a malformed frame while others go on', async () => {
    running = await startTestServer({ authorizeSync: allowTestDocuments });
    const good = provider(running, 'doc-3');
    await waitFor(() => good.synced, 'sync');
    const bad = new WebSocket(`${running.wsUrl}/sync/doc-3`, { headers: { origin: running.origin } });
    await new Promise((resolve) => bad.on('open', resolve));
    const closed = closeOf(bad);
    bad.send(Uint8Array.from([0, 2, 200, 1, 2, 3])); // a sync update whose payload is garbage
    expect((await closed).code).toBe(CLOSE_CODES.protocolError);

    const oversized = new WebSocket(`${running.wsUrl}/sync/doc-3`, { headers: { origin: running.origin } });
    await new Promise((resolve) => oversized.on('open', resolve));
    const tooBig = closeOf(oversized);
    oversized.send(new Uint8Array(5 * 1024 * 1024));
    expect((await tooBig).code).toBe(CLOSE_CODES.frameTooLarge);

    const other = provider(running, 'doc-3');
    good.doc.getText('body').insert(0, 'still here');
    await waitFor(() => other.doc.getText('body').toJSON() === 'still here', 'the others go on');
    good.destroy();
    other.destroy();
  });

  it('closes open sync connections with the shutdown code when the server stops', async () => {
    const t = await startTestServer({ authorizeSync: allowTestDocuments });
    const ws = new WebSocket(`${t.wsUrl}/sync/doc-4`, { headers: { origin: t.origin } });
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = closeOf(ws);
    await t.close();
    expect((await closed).code).toBe(CLOSE_CODES.serverShutdown);
  });
});
