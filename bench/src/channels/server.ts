/**
 * The server side of `pnpm bench:channels`, run as a child process so its CPU time is its own:
 * `cope` is the real process server (sessions, zod validation, can(), the embedded database, group commit);
 * `bare` is a plain socket.io server that broadcasts each received message to the room, nothing else.
 * It prints one JSON line (port, cookies, channel) and answers `cpu` requests over IPC.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { Server } from 'socket.io';
import {
  addMember,
  ChannelService,
  connectDb,
  createSession,
  createSpace,
  createUser,
  ensureChannelIndexes,
  ensureIndexes,
  generateSessionToken,
  onSpaceAccessChange,
  spaceAccessOf,
} from '@cope/db';
import { createServer, type Config } from '@cope/realtime';

export interface ServerReady {
  port: number;
  origin: string;
  cookies: string[];
  channelId: string;
}

const logger = pino({ level: 'silent' });
const members = Number(process.env.MEMBERS ?? 20);
const cleanups: (() => Promise<void>)[] = [];

/** `BENCH_DB=process`: the database in a process of its own (`pnpm db:serve`), as a MongoDB server would be. */
const databaseInProcess = process.env.BENCH_DB !== 'process';
let databaseChild: ChildProcess | undefined;

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

/** CPU time of the database process (Linux /proc), in microseconds; 0 when it runs in this process. */
function databaseCpuMicros(): number {
  if (!databaseChild?.pid) return 0;
  const fields = readFileSync(`/proc/${databaseChild.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime, in clock ticks (100 a second).
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1_000_000) / 100;
}

async function startCope(): Promise<ServerReady> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-bench-channels-'));
  const mongodbUrl = databaseInProcess ? undefined : await startDatabaseProcess(path.join(dataDir, 'db'));
  const db = await connectDb({ dataDir, logger, mongodbUrl });
  await ensureIndexes(db.connection);
  await ensureChannelIndexes(db.connection);
  const conn = db.connection;
  const service = new ChannelService(conn, (u, s) => spaceAccessOf(conn, u, s));
  const config: Config = {
    env: 'production',
    port: 0,
    host: '127.0.0.1',
    origin: 'http://127.0.0.1',
    dataDir,
    mongodbUrl: undefined,
    logLevel: 'silent',
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
    // The burst is one person sending 10k messages: far over the per-person limit, which is not measured here.
    channels: {
      service,
      onSpaceAccessChange,
      sendLimit: { burst: 1e9, perSecond: 1e9 },
      signalLimit: { burst: 1e9, perSecond: 1e9 },
    },
  });
  const address = await server.listen(0, '127.0.0.1');
  config.origin = `http://127.0.0.1:${address.port}`;

  const mk = async (i: number, networkRole: 'staff' | 'member') => {
    const created = await createUser(
      conn,
      { email: `bench${i}@example.org`, name: `Bench person ${i}`, networkRole },
      { actorId: null },
    );
    if (!created.ok) throw new Error('createUser failed');
    return created.value.id;
  };
  const staffId = await mk(0, 'staff');
  const ids: string[] = [];
  for (let i = 1; i <= members; i++) ids.push(await mk(i, 'member'));
  const staff = { userId: staffId, networkRole: 'staff' as const, disabled: false };
  const space = await createSpace(conn, staff, {
    title: 'Bench',
    kind: 'project',
    ownerEmail: 'bench1@example.org',
  });
  if (!space.ok) throw new Error('createSpace failed');
  const owner = { userId: ids[0] ?? '', networkRole: 'member' as const, disabled: false };
  for (let i = 2; i <= members; i++) {
    const added = await addMember(conn, owner, space.value.id, {
      email: `bench${i}@example.org`,
      role: 'editor',
    });
    if (!added.ok) throw new Error('addMember failed');
  }
  const general = await service.ensureGeneral(space.value.id);
  const cookies: string[] = [];
  for (const id of ids) {
    const token = generateSessionToken();
    await createSession(conn, token, id);
    cookies.push(`cope_session=${token}`);
  }
  cleanups.push(async () => {
    await server.close();
    await db.close();
    if (databaseChild) {
      const exited = new Promise((resolve) => databaseChild?.once('exit', resolve));
      databaseChild.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });
  return { port: address.port, origin: config.origin, cookies, channelId: general._id.toHexString() };
}

async function startBare(): Promise<ServerReady> {
  const http = createHttpServer();
  const io = new Server(http, { serveClient: false });
  let seq = 0;
  io.on('connection', (socket) => {
    socket.on('channel:join', (payload: { channelId: string }, ack: (r: unknown) => void) => {
      void socket.join(payload.channelId);
      ack({ ok: true });
    });
    // The same message shape as the real server's, built in memory: the broadcast carries the same bytes.
    socket.on(
      'message:send',
      (p: { channelId: string; clientId: string; body: string }, ack?: (r: unknown) => void) => {
        seq += 1;
        const now = new Date().toISOString();
        const message = {
          id: seq.toString(16).padStart(24, '0'),
          channelId: p.channelId,
          seq,
          clientId: p.clientId,
          authorId: 'a'.repeat(24),
          authorName: 'Bench person 1',
          body: p.body,
          mentions: [],
          parentId: null,
          replyCount: 0,
          lastReplyAt: null,
          reactions: [],
          createdAt: now,
          editedAt: null,
          deletedAt: null,
          deletedBy: null,
        };
        io.to(p.channelId).emit('message:new', message);
        ack?.({ ok: true, message, duplicate: false });
      },
    );
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        void io.close(() => resolve());
      }),
  );
  const origin = `http://127.0.0.1:${port}`;
  return { port, origin, cookies: Array.from({ length: members }, () => ''), channelId: 'room' };
}

const mode = process.argv[2];
const ready = mode === 'bare' ? await startBare() : await startCope();
process.on('message', (request: string) => {
  if (request === 'cpu') process.send?.({ cpu: process.cpuUsage(), databaseMicros: databaseCpuMicros() });
  if (request === 'stop') {
    void Promise.all(cleanups.map((c) => c())).then(() => process.exit(0));
  }
});
process.send?.({ ready });
