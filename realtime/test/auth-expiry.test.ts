/**
 * Live connections close when their session expires (idle timeout or absolute lifetime), not only when it
 * is revoked: socket.io sockets get `session:ended`, sync connections close with 4401. Sliding renewal in
 * the meantime keeps them open. The server's expiry clock is moved forward so that a session's end falls
 * under a second from now: the session figures stay the real ones (days), nothing waits for days.
 * Real server on port 0, real embedded database, real socket.io and WebSocket clients.
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
  models,
  onSessionRevocation,
  SESSION_CONFIG,
  validateSessionToken,
  type DbHandle,
  type SessionRevocation,
} from '@cope/db';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createServer, type RunningServer } from '../src/app.js';
import type { DocumentAuthorizer } from '../src/auth/sync-auth.js';
import type { Config } from '../src/env.js';
import { silentLogger, waitFor } from './helpers.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far in the (shifted) future a test session ends: long enough to connect both clients first. */
const END_IN_MS = 1500;

interface ExpiryServer {
  server: RunningServer;
  db: DbHandle;
  origin: string;
  wsUrl: string;
  close(): Promise<void>;
}

const allowOneDocument: DocumentAuthorizer = (_req, documentId) =>
  Promise.resolve(
    documentId === 'open-doc'
      ? { allowed: true, readOnly: false }
      : { allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' },
  );

/** A server whose expiry timers see the time `shiftMs` ahead of the real clock. */
async function startServer(shiftMs: number): Promise<ExpiryServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-realtime-expiry-'));
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
    authorizeSync: allowOneDocument,
    requireSessions: true,
    sessionClock: () => Date.now() + shiftMs,
  });
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

let running: ExpiryServer | undefined;
const sockets: Socket[] = [];
const websockets: WebSocket[] = [];
const revocations: SessionRevocation[] = [];
const unsubscribe = onSessionRevocation((r) => revocations.push(r));
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const ws of websockets.splice(0)) ws.terminate();
  await running?.close();
  running = undefined;
  revocations.length = 0;
});
process.once('beforeExit', unsubscribe);

let counter = 0;
/** A person with a session created at `createdAt` (the sessions' own clock option). */
async function personWithSession(t: ExpiryServer, createdAt: number) {
  counter += 1;
  const created = await createUser(
    t.db.connection,
    { email: `expiry${counter}@example.org`, name: `Person ${counter}`, networkRole: 'member' },
    { actorId: null },
  );
  if (!created.ok) throw new Error('createUser failed');
  const token = generateSessionToken();
  const session = await createSession(t.db.connection, token, created.value.id, { clock: () => createdAt });
  return { userId: created.value.id, sessionId: session.id, token, cookie: `cope_session=${token}` };
}

async function connectedSocket(t: ExpiryServer, cookie: string): Promise<Socket> {
  const socket = connectSocketIo(t.origin, {
    transports: ['websocket'],
    extraHeaders: { origin: t.origin, cookie },
    reconnection: false,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.on('connect', resolve);
    socket.on('connect_error', reject);
  });
  return socket;
}

async function openSync(t: ExpiryServer, cookie: string): Promise<WebSocket> {
  const ws = new WebSocket(`${t.wsUrl}/sync/open-doc`, { headers: { origin: t.origin, cookie } });
  websockets.push(ws);
  // The first sync message means the authoriser accepted it (and armed the expiry timer).
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
    ws.once('close', (code) => reject(new Error(`closed with ${code}`)));
  });
  return ws;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ended(socket: Socket): Promise<{ notified: boolean }> {
  let notified = false;
  socket.on('session:ended', () => (notified = true));
  return new Promise((resolve) => socket.on('disconnect', () => resolve({ notified })));
}

function closeOf(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.on('close', (code) => resolve(code)));
}

describe('live connections close when their session expires', () => {
  it('idle timeout: socket.io gets session:ended, sync closes with 4401, the session is gone', async () => {
    // The expiry clock runs one idle period ahead, less END_IN_MS: a fresh session ends in END_IN_MS.
    running = await startServer(SESSION_CONFIG.idleTimeoutMs - END_IN_MS);
    const person = await personWithSession(running, Date.now());
    const other = await personWithSession(running, Date.now() + 60_000);
    const socket = await connectedSocket(running, person.cookie);
    const ws = await openSync(running, person.cookie);
    const otherSocket = await connectedSocket(running, other.cookie);
    const started = Date.now();
    const [socketEnd, code] = await Promise.all([ended(socket), closeOf(ws)]);
    expect(socketEnd).toEqual({ notified: true });
    expect(code).toBe(CLOSE_CODES.unauthenticated);
    expect(Date.now() - started).toBeLessThan(END_IN_MS + 2000);
    expect(await models(running.db.connection).Session.findById(person.sessionId).lean()).toBeNull();
    expect(revocations).toContainEqual({ userId: person.userId, sessionIds: [person.sessionId] });
    // Someone whose session ends a minute later is still connected.
    expect(otherSocket.connected).toBe(true);
  });

  it('absolute lifetime: closes at createdAt + the lifetime even though the idle expiry is later', async () => {
    const lifetimeLeft = 10 * DAY_MS;
    running = await startServer(lifetimeLeft - END_IN_MS);
    const person = await personWithSession(
      running,
      Date.now() - SESSION_CONFIG.absoluteLifetimeMs + lifetimeLeft,
    );
    // Renewed all along: the idle expiry is 20 days away, the absolute end 10.
    await models(running.db.connection).Session.updateOne(
      { _id: person.sessionId },
      { $set: { expiresAt: new Date(Date.now() + 20 * DAY_MS) } },
    );
    const socket = await connectedSocket(running, person.cookie);
    const ws = await openSync(running, person.cookie);
    const [socketEnd, code] = await Promise.all([ended(socket), closeOf(ws)]);
    expect(socketEnd).toEqual({ notified: true });
    expect(code).toBe(CLOSE_CODES.unauthenticated);
  });

  it('sliding renewal meanwhile keeps the connections open: the timer re-reads the session', async () => {
    // Created 14 days ago: 16 days left, so the handshake itself does not renew it.
    const createdAt = Date.now() - 14 * DAY_MS;
    // A longer wait than the other tests: the renewal must land before the first timer fires.
    const endIn = 3 * END_IN_MS;
    running = await startServer(16 * DAY_MS - endIn);
    const person = await personWithSession(running, createdAt);
    const socket = await connectedSocket(running, person.cookie);
    // A request two days later (less than 15 days left) slides the expiry 30 days on; the socket's timer
    // still holds the end it read at the handshake.
    const renewed = await validateSessionToken(running.db.connection, person.token, {
      clock: () => Date.now() + 2 * DAY_MS,
    });
    expect(renewed.renewed).toBe(true);
    const ws = await openSync(running, person.cookie);
    // The first timer fires at endIn, reads the renewed session and re-arms.
    await sleep(endIn + 700);
    expect(socket.connected).toBe(true);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(revocations).toEqual([]);
  });

  it('disarms the timer of a connection that closed first: nothing is ended at the session’s end', async () => {
    running = await startServer(SESSION_CONFIG.idleTimeoutMs - END_IN_MS);
    const person = await personWithSession(running, Date.now());
    const socket = await connectedSocket(running, person.cookie);
    const ws = await openSync(running, person.cookie);
    socket.close();
    ws.close();
    await waitFor(
      () => running?.server.io.sockets.sockets.size === 0 && ws.readyState === WebSocket.CLOSED,
      'both closed',
    );
    await sleep(END_IN_MS + 700);
    expect(revocations).toEqual([]);
    // The session itself is untouched: it ends at its next use, as any expired session does.
    expect(await models(running.db.connection).Session.findById(person.sessionId).lean()).not.toBeNull();
  });
});
