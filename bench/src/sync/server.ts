/**
 * One server of the sync benchmark, in a child process of its own so that its CPU time and memory can be read
 * (`process.cpuUsage()`, `process.memoryUsage()` after `gc()`), driven by the parent over IPC.
 *
 * Modes:
 * - `ours`: the real server (createServer) with sessions required (every upgrade checks the session cookie
 *   against the database) and persistence on (embedded database in a temp folder), default room tuning;
 *   the database either in the same process (the default single-process deployment) or, with the argument
 *   `process`, in a process of its own (`pnpm db:serve`), as a MongoDB server would be;
 * - `reference`: y-websocket@2.1.0's `bin/utils` `setupWSConnection` on a `ws` server (in memory only);
 * - `relay`: a plain WebSocket relay that forwards each frame's bytes to the other sockets of its room.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appendDocumentUpdates,
  compactStoredDocument,
  connectDb,
  createSession,
  createUser,
  ensureIndexes,
  generateSessionToken,
  sessionCookieSpec,
  type DbHandle,
} from '@cope/db';
import { createServer, type RunningServer, type SyncAccess } from '@cope/realtime';
import { pino } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { historyUpdates } from './history.js';

export interface ServerReady {
  port: number;
  origin: string;
  /** The session cookie to send (ours only). */
  cookie?: string;
}

export interface Request {
  id: number;
  cmd: 'cpu' | 'memory' | 'seed' | 'unload';
  /** For `seed`: the document to write `edits` single-character edits to, compacted or not. */
  documentId?: string;
  edits?: number;
  compact?: boolean;
}

const mode = process.argv[2] as 'ours' | 'reference' | 'relay';
/** `process`: ours talks to the database in a process of its own (as with MongoDB) instead of in-process. */
const database = process.argv[3] === 'process' ? 'process' : 'in-process';
let databaseChild: ChildProcess | undefined;

/** The embedded database as its own process (`pnpm db:serve`), as a MongoDB server would be. */
async function startDatabaseProcess(dataDir: string): Promise<string> {
  const entry = fileURLToPath(new URL('../../../db/src/bin/db-serve.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  databaseChild = child;
  return new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /mongodb:\/\/[^\s"]+/.exec(output)?.[0];
      if (/ready/.test(output) && url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`db:serve exited with ${code}: ${output}`)));
  });
}

/** CPU time of the database process, from /proc (Linux), in microseconds. */
function databaseCpuMicros(): number {
  if (!databaseChild?.pid) return 0;
  const fields = readFileSync(`/proc/${databaseChild.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the stat line (12 and 13 after the command name), in ticks.
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return (ticks * 1_000_000) / 100;
}
const logger = pino({ level: 'silent' });
let ours: { server: RunningServer; db: DbHandle; dataDir: string } | undefined;

async function startOurs(): Promise<ServerReady> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-bench-sync-'));
  const db =
    database === 'process'
      ? await connectDb({ mongodbUrl: await startDatabaseProcess(path.join(dataDir, 'db')), dataDir, logger })
      : await connectDb({ dataDir, logger });
  await ensureIndexes(db.connection);
  const created = await createUser(
    db.connection,
    { email: 'bench@example.org', name: 'Bench Writer', networkRole: 'member' },
    { actorId: null },
  );
  if (!created.ok) throw new Error(created.message);
  const token = generateSessionToken();
  await createSession(db.connection, token, created.value.id);
  const config = {
    env: 'production' as const,
    port: 0,
    host: '127.0.0.1',
    origin: 'http://127.0.0.1',
    dataDir,
    mongodbUrl: undefined,
    logLevel: 'silent' as const,
    trustProxy: false,
    webBuildDir: path.join(dataDir, 'none'),
    smtpUrl: undefined,
    mailFrom: undefined,
  };
  const server = createServer({
    config,
    logger,
    db,
    requireSessions: true,
    // COMMIT_WINDOW_MS and COMPACT_EVERY try other room tunings (the defaults otherwise).
    syncTuning: {
      ...(process.env.COMMIT_WINDOW_MS ? { commitWindowMs: Number(process.env.COMMIT_WINDOW_MS) } : {}),
      ...(process.env.COMPACT_EVERY ? { compactEvery: Number(process.env.COMPACT_EVERY) } : {}),
    },
    // The bench's documents are open to the signed-in bench person (the session check runs on every upgrade).
    authorizeSync: (_req: unknown, documentId: string): Promise<SyncAccess> =>
      Promise.resolve(
        documentId.startsWith('bench')
          ? { allowed: true, readOnly: false }
          : { allowed: false, code: 4404, reason: 'no such document' },
      ),
  });
  const address = await server.listen(0, '127.0.0.1');
  config.origin = `http://127.0.0.1:${address.port}`;
  ours = { server, db, dataDir };
  return {
    port: address.port,
    origin: config.origin,
    cookie: `${sessionCookieSpec(config.origin).name}=${token}`,
  };
}

async function startReference(): Promise<ServerReady> {
  const require = createRequire(import.meta.url);
  const { setupWSConnection } = require('y-websocket-ref/bin/utils') as {
    setupWSConnection: (conn: WebSocket, req: unknown, options: { docName: string }) => void;
  };
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws, req) =>
    setupWSConnection(ws, req, { docName: (req.url ?? '/').slice(1).split('?')[0] ?? '' }),
  );
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  return { port, origin: `http://127.0.0.1:${port}` };
}

async function startRelay(): Promise<ServerReady> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  const rooms = new Map<string, Set<WebSocket>>();
  wss.on('connection', (ws, req) => {
    const name = req.url ?? '/';
    let room = rooms.get(name);
    if (!room) rooms.set(name, (room = new Set()));
    const members = room;
    members.add(ws);
    ws.on('message', (data: Buffer) => {
      for (const other of members) if (other !== ws && other.readyState === 1) other.send(data);
    });
    ws.on('close', () => members.delete(ws));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as { port: number }).port;
  return { port, origin: `http://127.0.0.1:${port}` };
}

async function handle(request: Request): Promise<unknown> {
  switch (request.cmd) {
    case 'cpu': {
      const own = process.cpuUsage();
      return { user: own.user, system: own.system, database: databaseCpuMicros() };
    }
    case 'memory': {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, external: m.external, rss: m.rss };
    }
    case 'seed': {
      if (!ours) throw new Error('seed: ours only');
      const updates = historyUpdates(request.edits ?? 0);
      for (let i = 0; i < updates.length; i += 2000) {
        await appendDocumentUpdates(
          ours.db.connection,
          request.documentId ?? '',
          updates.slice(i, i + 2000).map((update) => ({ update, userId: null })),
        );
      }
      if (request.compact) await compactStoredDocument(ours.db.connection, request.documentId ?? '');
      return { updates: updates.length };
    }
    case 'unload':
      await ours?.server.sync.rooms.unloadIdle();
      return null;
  }
}

const ready =
  mode === 'ours' ? await startOurs() : mode === 'reference' ? await startReference() : await startRelay();
process.on('message', (request: Request) => {
  handle(request).then(
    (result) => process.send?.({ id: request.id, result }),
    (error: unknown) => process.send?.({ id: request.id, error: String(error) }),
  );
});
process.on('SIGTERM', () => {
  void (async () => {
    if (ours) {
      await ours.server.close();
      await ours.db.close();
      if (databaseChild) {
        const exited = new Promise((resolve) => databaseChild?.once('exit', resolve));
        databaseChild.kill('SIGTERM');
        await exited;
      }
      await rm(ours.dataDir, { recursive: true, force: true });
    }
    process.exit(0);
  })();
});
process.send?.({ ready });
