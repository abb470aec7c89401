/**
 * Sessions on live sockets: socket.io handshakes and sync upgrades need a valid session cookie, and
 * ending sessions (disabled account, password change, sign-out) closes the matching live connections.
 * Real server on port 0, real embedded database, real clients.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES } from '@cope/domain';
import {
  connectDb,
  createSession,
  createUser,
  generateSessionToken,
  invalidateSession,
  setPassword,
  setUserDisabled,
  type DbHandle,
} from '@cope/db';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type RunningServer } from '../src/app.js';
import type { DocumentAuthorizer } from '../src/auth/sync-auth.js';
import type { Config } from '../src/env.js';
import { silentLogger, waitFor } from './helpers.js';

interface AuthServer {
  server: RunningServer;
  db: DbHandle;
  origin: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** Allows the one document `open-doc` to any signed-in person. */
const allowOneDocument: DocumentAuthorizer = (_req, documentId) =>
  Promise.resolve(
    documentId === 'open-doc'
      ? { allowed: true, readOnly: false }
      : { allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' },
  );

async function startAuthServer(authorizeSync?: DocumentAuthorizer): Promise<AuthServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-realtime-auth-'));
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
  const server = createServer({ config, logger: silentLogger, db, authorizeSync, requireSessions: true });
  const address = await server.listen(0, '127.0.0.1');
  config.origin = `http://127.0.0.1:${address.port}`;
  return {
    server,
    db,
    origin: config.origin,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let running: AuthServer | undefined;
const clients: Socket[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await running?.close();
  running = undefined;
});

let counter = 0;
async function signedIn(t: AuthServer): Promise<{ userId: string; sessionId: string; cookie: string }> {
  counter += 1;
  const created = await createUser(
    t.db.connection,
    { email: `person${counter}@example.org`, name: `Person ${counter}`, networkRole: 'member' },
    { actorId: null },
  );
  if (!created.ok) throw new Error('createUser failed');
  return withSession(t, created.value.id);
}

async function withSession(t: AuthServer, userId: string) {
  const token = generateSessionToken();
  const session = await createSession(t.db.connection, token, userId);
  return { userId, sessionId: session.id, cookie: `cope_session=${token}` };
}

function socketFor(t: AuthServer, cookie?: string): Socket {
  const headers: Record<string, string> = { origin: t.origin };
  if (cookie !== undefined) headers.cookie = cookie;
  const socket = connectSocketIo(t.origin, {
    transports: ['websocket'],
    extraHeaders: headers,
    reconnection: false,
  });
  clients.push(socket);
  return socket;
}

function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', reject);
  });
}

function refused(socket: Socket): Promise<Error & { data?: unknown }> {
  return new Promise((resolve, reject) => {
    socket.on('connect', () => reject(new Error('connected without a valid session')));
    socket.on('connect_error', resolve);
  });
}

/** Resolves with the time from now to the disconnect, and whether `session:ended` came first. */
function ended(socket: Socket): Promise<{ notified: boolean }> {
  let notified = false;
  socket.on('session:ended', () => (notified = true));
  return new Promise((resolve) => socket.on('disconnect', () => resolve({ notified })));
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

describe('socket.io handshake authentication', () => {
  it('refuses no cookie and a bad cookie with code unauthenticated, accepts a valid one as its user', async () => {
    running = await startAuthServer();
    const none = await refused(socketFor(running));
    expect(none.data).toEqual({ code: 'unauthenticated' });
    const bad = await refused(socketFor(running, `cope_session=${'a'.repeat(32)}`));
    expect(bad.data).toEqual({ code: 'unauthenticated' });

    const person = await signedIn(running);
    const socket = socketFor(running, `other=1; ${person.cookie}`);
    await connected(socket);
    const [serverSide] = await running.server.io.fetchSockets();
    expect(serverSide?.data).toMatchObject({ user: { id: person.userId }, sessionId: person.sessionId });
    expect(serverSide?.rooms.has(`user:${person.userId}`)).toBe(true);
  });

  it.each([
    [
      'disabling the account',
      (t: AuthServer, id: string) => setUserDisabled(t.db.connection, id, true, { actorId: null }),
    ],
    [
      'changing the password',
      (t: AuthServer, id: string) =>
        setPassword(t.db.connection, id, 'a quite long new passphrase 42', { actorId: null }),
    ],
  ])('%s disconnects that person within a second and leaves others connected', async (_what, revoke) => {
    running = await startAuthServer();
    const target = await signedIn(running);
    const other = await signedIn(running);
    const targetSocket = socketFor(running, target.cookie);
    const otherSocket = socketFor(running, other.cookie);
    await Promise.all([connected(targetSocket), connected(otherSocket)]);

    const gone = ended(targetSocket);
    const started = Date.now();
    const result = await revoke(running, target.userId);
    expect(result.ok).toBe(true);
    expect(await gone).toEqual({ notified: true });
    expect(Date.now() - started).toBeLessThan(1000);
    // The other person's socket answers a round trip after the revocation: still connected.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(otherSocket.connected).toBe(true);
    expect(targetSocket.connected).toBe(false);
  });

  it('signing out of one session closes only that session’s sockets', async () => {
    running = await startAuthServer();
    const first = await signedIn(running);
    const second = await withSession(running, first.userId);
    const a = socketFor(running, first.cookie);
    const b = socketFor(running, second.cookie);
    await Promise.all([connected(a), connected(b)]);
    const gone = ended(a);
    await invalidateSession(running.db.connection, first.sessionId);
    expect(await gone).toEqual({ notified: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.connected).toBe(true);
  });
});

describe('sync endpoint authentication', () => {
  it('closes 4401 without a session and 4404 for a refused document with one', async () => {
    running = await startAuthServer();
    const anonymous = new WebSocket(`${running.wsUrl}/sync/open-doc`, {
      headers: { origin: running.origin },
    });
    expect((await closeOf(anonymous)).code).toBe(CLOSE_CODES.unauthenticated);
    const person = await signedIn(running);
    const refusedDoc = new WebSocket(`${running.wsUrl}/sync/open-doc`, {
      headers: { origin: running.origin, cookie: person.cookie },
    });
    expect((await closeOf(refusedDoc)).code).toBe(CLOSE_CODES.notFound);
  });

  it('closes an open sync connection with 4401 within a second when its session ends', async () => {
    running = await startAuthServer(allowOneDocument);
    const person = await signedIn(running);
    const ws = new WebSocket(`${running.wsUrl}/sync/open-doc`, {
      headers: { origin: running.origin, cookie: person.cookie },
    });
    const closed = closeOf(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const t = running;
    await waitFor(() => t.server.sync.roomCount === 1, 'the connection to join its room');
    const started = Date.now();
    await setUserDisabled(running.db.connection, person.userId, true, { actorId: null });
    const { code } = await closed;
    expect(code).toBe(CLOSE_CODES.unauthenticated);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
