/**
 * The production sync authoriser and access watcher: a real server on port 0 with the real embedded
 * database, real y-websocket providers and raw `ws` clients. Refusals never reveal a document (4404),
 * viewers are read-only, and losing access closes the connection with 4403 within a second.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES, MESSAGE_STORED, type Actor } from '@cope/domain';
import {
  addMember,
  archiveSpace,
  connectDb,
  createDocument,
  createSession,
  createSpace,
  createUser,
  generateSessionToken,
  listMembers,
  removeMember,
  restoreDocumentNode,
  trashDocumentNode,
  type DbHandle,
} from '@cope/db';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createServer, type RunningServer } from '../src/app.js';
import type { Config } from '../src/env.js';
import { spaceDocumentAuthorizer, watchSpaceAccess } from '../src/spaces/index.js';
import { silentLogger, waitFor } from './helpers.js';

interface SpacesServer {
  server: RunningServer;
  db: DbHandle;
  origin: string;
  wsUrl: string;
  close(): Promise<void>;
}

async function startSpacesServer(): Promise<SpacesServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-realtime-spaces-'));
  const db = await connectDb({ dataDir, logger: silentLogger, mongodbUrl: process.env.MONGODB_URL });
  const config: Config = {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    origin: 'http://127.0.0.1',
    dataDir,
    mongodbUrl: undefined,
    logLevel: 'silent',
    trustProxy: false,
    webBuildDir: path.join(dataDir, 'no-web-build'),
    smtpUrl: undefined,
    mailFrom: undefined,
  };
  const server = createServer({
    config,
    logger: silentLogger,
    db,
    authorizeSync: spaceDocumentAuthorizer(db.connection),
    requireSessions: true,
  });
  const stopWatching = watchSpaceAccess(db.connection, server.sync, silentLogger);
  const address = await server.listen(0, '127.0.0.1');
  config.origin = `http://127.0.0.1:${address.port}`;
  return {
    server,
    db,
    origin: config.origin,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    close: async () => {
      stopWatching();
      await server.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface Person extends Actor {
  email: string;
  cookie: string;
}

let counter = 0;
async function signedIn(t: SpacesServer, networkRole: 'staff' | 'member' = 'member'): Promise<Person> {
  counter += 1;
  const email = `spaces${counter}@example.org`;
  const created = await createUser(
    t.db.connection,
    { email, name: `Person ${counter}`, networkRole },
    { actorId: null },
  );
  if (!created.ok) throw new Error('createUser failed');
  const token = generateSessionToken();
  await createSession(t.db.connection, token, created.value.id);
  return { userId: created.value.id, networkRole, disabled: false, email, cookie: `cope_session=${token}` };
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) throw new Error(`refused: ${r.error}`);
  return r.value;
}

/** A space owned by `owner` with one document; `others` join with their roles. */
async function spaceWithDocument(
  t: SpacesServer,
  staff: Person,
  owner: Person,
  others: [Person, 'editor' | 'commenter' | 'viewer'][] = [],
): Promise<{ spaceId: string; documentId: string }> {
  const conn = t.db.connection;
  const { id: spaceId } = unwrap(
    await createSpace(conn, staff, { title: 'Study', kind: 'research-study', ownerEmail: owner.email }),
  );
  for (const [p, role] of others) unwrap(await addMember(conn, owner, spaceId, { email: p.email, role }));
  const doc = unwrap(
    await createDocument(conn, owner, { spaceId, title: 'Protocol', template: 'research-protocol' }),
  );
  return { spaceId, documentId: doc.id };
}

function rawSocket(t: SpacesServer, documentId: string, headers: Record<string, string>): WebSocket {
  const ws = new WebSocket(`${t.wsUrl}/sync/${documentId}`, { headers });
  sockets.push(ws);
  return ws;
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

function provider(t: SpacesServer, documentId: string, cookie: string): WebsocketProvider {
  const headers = { origin: t.origin, cookie };
  const Polyfill = class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers });
    }
  };
  const p = new WebsocketProvider(`${t.wsUrl}/sync`, documentId, new Y.Doc(), {
    WebSocketPolyfill: Polyfill as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  // The server's stored-acknowledgements are not this test's subject: read and ignore them.
  p.messageHandlers[MESSAGE_STORED] = () => {};
  providers.push(p);
  return p;
}

/** The code the provider's socket closed with, waiting for it; the provider stops reconnecting. */
function providerClosed(p: WebsocketProvider): Promise<number> {
  return new Promise((resolve) => {
    p.on('connection-close', (event: { code: number } | null) => {
      p.shouldConnect = false;
      resolve(event?.code ?? -1);
    });
  });
}

const text = (p: WebsocketProvider) => p.doc.getText('notes').toJSON();

let running: SpacesServer | undefined;
const sockets: WebSocket[] = [];
const providers: WebsocketProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) p.destroy();
  for (const ws of sockets.splice(0)) ws.terminate();
  await running?.close();
  running = undefined;
});

describe('the sync authoriser', () => {
  it('refuses no cookie (4401), a wrong Origin (4403), unknown documents and another space’s (4404)', async () => {
    const t = (running = await startSpacesServer());
    const staff = await signedIn(t, 'staff');
    const owner = await signedIn(t);
    const outsider = await signedIn(t);
    const { documentId } = await spaceWithDocument(t, staff, owner);
    // The outsider owns a space of their own: they are a member somewhere, just not here.
    await spaceWithDocument(t, staff, outsider);

    expect((await closeOf(rawSocket(t, documentId, { origin: t.origin }))).code).toBe(
      CLOSE_CODES.unauthenticated,
    );
    expect(
      (await closeOf(rawSocket(t, documentId, { origin: 'https://evil.example', cookie: owner.cookie })))
        .code,
    ).toBe(CLOSE_CODES.forbiddenOrigin);
    const foreign = await closeOf(rawSocket(t, documentId, { origin: t.origin, cookie: outsider.cookie }));
    const unknown = await closeOf(
      rawSocket(t, '0123456789abcdef01234567', { origin: t.origin, cookie: outsider.cookie }),
    );
    // The same answer for both: nothing says the first document exists.
    expect(foreign).toEqual({ code: CLOSE_CODES.notFound, reason: 'no such document' });
    expect(unknown).toEqual(foreign);

    const ownerProvider = provider(t, documentId, owner.cookie);
    await waitFor(() => ownerProvider.synced, 'the owner syncs');
    // The template arrived from the store.
    expect(ownerProvider.doc.getXmlFragment('default').length).toBeGreaterThan(0);
  });

  it.each(['viewer', 'commenter'] as const)('keeps a %s read-only while the owner writes', async (role) => {
    const t = (running = await startSpacesServer());
    const staff = await signedIn(t, 'staff');
    const owner = await signedIn(t);
    const reader = await signedIn(t);
    const { documentId } = await spaceWithDocument(t, staff, owner, [[reader, role]]);

    const ownerProvider = provider(t, documentId, owner.cookie);
    const readerProvider = provider(t, documentId, reader.cookie);
    await waitFor(() => ownerProvider.synced && readerProvider.synced, 'both sync');

    readerProvider.doc.getText('notes').insert(0, `${role} was here`);
    ownerProvider.doc.getText('notes').insert(0, 'owner');
    // The owner's later change reaches the reader; the reader's never reaches the owner.
    await waitFor(() => text(readerProvider).includes('owner'), 'the owner’s change reaches the reader');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(text(ownerProvider)).toBe('owner');
  });

  it('closes connections to a document moved to the trash, and refuses it until restored', async () => {
    const t = (running = await startSpacesServer());
    const staff = await signedIn(t, 'staff');
    const owner = await signedIn(t);
    const { documentId } = await spaceWithDocument(t, staff, owner);
    const ownerProvider = provider(t, documentId, owner.cookie);
    await waitFor(() => ownerProvider.synced, 'the owner syncs');
    const closed = providerClosed(ownerProvider);
    unwrap(await trashDocumentNode(t.db.connection, owner, documentId));
    expect(await closed).toBe(CLOSE_CODES.forbidden);
    const refused = await closeOf(rawSocket(t, documentId, { origin: t.origin, cookie: owner.cookie }));
    expect(refused.code).toBe(CLOSE_CODES.notFound);
    unwrap(await restoreDocumentNode(t.db.connection, owner, documentId));
    const back = provider(t, documentId, owner.cookie);
    await waitFor(() => back.synced, 'the restored document opens');
  });

  it('closes a removed member’s connection with 4403 within a second and leaves the others open', async () => {
    const t = (running = await startSpacesServer());
    const staff = await signedIn(t, 'staff');
    const owner = await signedIn(t);
    const editor = await signedIn(t);
    const { spaceId, documentId } = await spaceWithDocument(t, staff, owner, [[editor, 'editor']]);

    const ownerProvider = provider(t, documentId, owner.cookie);
    const editorProvider = provider(t, documentId, editor.cookie);
    await waitFor(() => ownerProvider.synced && editorProvider.synced, 'both sync');
    const closed = providerClosed(editorProvider);

    const members = unwrap(await listMembers(t.db.connection, owner, spaceId));
    const membership = members.find((m) => m.userId === editor.userId);
    if (membership === undefined) throw new Error('editor membership missing');
    const started = Date.now();
    unwrap(await removeMember(t.db.connection, owner, spaceId, membership.id));
    expect(await closed).toBe(CLOSE_CODES.forbidden);
    expect(Date.now() - started).toBeLessThan(1000);

    // The owner goes on: their change still round-trips through a new reader.
    ownerProvider.doc.getText('notes').insert(0, 'still here');
    const reader = provider(t, documentId, owner.cookie);
    await waitFor(() => text(reader) === 'still here', 'the owner still edits');
    // And the removed editor cannot come back.
    const again = await closeOf(rawSocket(t, documentId, { origin: t.origin, cookie: editor.cookie }));
    expect(again.code).toBe(CLOSE_CODES.notFound);
  });

  it('turns open connections read-only when the space is archived', async () => {
    const t = (running = await startSpacesServer());
    const staff = await signedIn(t, 'staff');
    const owner = await signedIn(t);
    const editor = await signedIn(t);
    const { spaceId, documentId } = await spaceWithDocument(t, staff, owner, [[editor, 'editor']]);
    const ownerProvider = provider(t, documentId, owner.cookie);
    const editorProvider = provider(t, documentId, editor.cookie);
    await waitFor(() => ownerProvider.synced && editorProvider.synced, 'both sync');

    unwrap(await archiveSpace(t.db.connection, owner, spaceId));
    await waitFor(
      () => t.server.sync.connectionsInSpace(spaceId).every((c) => c.readOnly),
      'connections become read-only',
      1000,
    );
    editorProvider.doc.getText('notes').insert(0, 'too late');
    const reader = provider(t, documentId, owner.cookie);
    await waitFor(() => reader.synced, 'a reader syncs');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(text(ownerProvider)).toBe('');
    expect(text(reader)).toBe('');
  });
});
