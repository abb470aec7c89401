/**
 * Shared by the sync tests: a real server on port 0 with the real embedded database and shortened room
 * timings, real y-websocket providers over `ws` that count the stored-acknowledgements they receive.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDb, ensureIndexes, type DbHandle } from '@cope/db';
import { CLOSE_CODES, decodeStoredAck, MESSAGE_STORED } from '@cope/domain';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { createServer, type RunningServer } from '../src/app.js';
import type { Config } from '../src/env.js';
import type { SyncAuthorizer } from '../src/sync/endpoint.js';
import type { DocumentEditedHook, RoomTuning } from '../src/sync/rooms.js';
import { silentLogger } from './helpers.js';

export interface SyncTestServer {
  server: RunningServer;
  db: DbHandle;
  origin: string;
  wsUrl: string;
  close(): Promise<void>;
}

/** Documents whose id starts with `doc` open for everyone (read-only when it ends with `-readonly`). */
export const testAuthorizer: SyncAuthorizer = (req, documentId) => {
  const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? 'tester';
  return Promise.resolve(
    documentId.startsWith('doc')
      ? {
          allowed: true,
          readOnly: documentId.endsWith('-readonly'),
          principal: { userId: user, sessionId: `session-${user}` },
          spaceId: 'space-1',
        }
      : { allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' },
  );
};

export async function startSyncServer(
  options: { tuning?: Partial<RoomTuning>; onDocumentEdited?: DocumentEditedHook; dataDir?: string } = {},
): Promise<SyncTestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cope-sync-')));
  const db = await connectDb({ dataDir, logger: silentLogger, mongodbUrl: process.env.MONGODB_URL });
  await ensureIndexes(db.connection);
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
    authorizeSync: testAuthorizer,
    syncTuning: options.tuning,
    onDocumentEdited: options.onDocumentEdited,
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
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A `ws` client class that sends the given Origin, as a browser would. */
export function webSocketWithOrigin(origin: string) {
  return class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { headers: { origin } });
    }
  };
}

/** A provider that records the stored-acknowledgements it receives and counts the document frames it sends. */
export interface CountingProvider extends WebsocketProvider {
  sentDocumentFrames: number;
  settled: number;
}

export function provider(
  origin: string,
  wsUrl: string,
  documentId: string,
  options: { doc?: Y.Doc; user?: string; connect?: boolean } = {},
): CountingProvider {
  const p = new WebsocketProvider(`${wsUrl}/sync`, documentId, options.doc ?? new Y.Doc(), {
    WebSocketPolyfill: webSocketWithOrigin(origin) as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: options.connect ?? true,
    params: { user: options.user ?? 'tester' },
  }) as CountingProvider;
  p.sentDocumentFrames = 0;
  p.settled = 0;
  p.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
    const settled = decodeStoredAck(decoder.arr);
    if (settled !== null) p.settled = settled;
  };
  p.on('status', ({ status }) => {
    if (status !== 'connected' || !p.ws) return;
    p.sentDocumentFrames = 0;
    p.settled = 0;
    const ws = p.ws;
    const send = ws.send.bind(ws);
    ws.send = (data: Parameters<typeof send>[0]) => {
      const bytes = new Uint8Array(data as ArrayBuffer);
      if (bytes[0] === 0 && (bytes[1] === 1 || bytes[1] === 2)) p.sentDocumentFrames++;
      send(data);
    };
  });
  return p;
}

/** Resolves when `predicate` holds, polling; fails after `timeoutMs` with `what` in the message. */
export async function waitUntil(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

/** A deterministic pseudo-random generator (mulberry32), so a failing run can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
