/**
 * `pnpm bench:sync`: the sync server beside y-websocket@2.1.0's reference server and a plain WebSocket relay,
 * in one run on loopback. Each server runs in a child process of its own (./server.ts); ours has sessions
 * and persistence on. Measured:
 * - latency: one writer, twenty readers, 200 small updates a second, 2000 updates: p50 / p99 from send to
 *   receipt over every delivery; three rounds (LATENCY_ROUNDS) with the servers taking turns, each figure the
 *   median of its server's rounds, after one round per server that is not counted (LATENCY_WARMUP): a server
 *   that has run for a while has its code compiled, and the first seconds of a fresh process are not what
 *   its users see;
 * - CPU: 5000 updates sent at once to twenty readers: server CPU µs per delivered update (for ours, until the
 *   writer's last update is also acknowledged as stored), after one such burst that is not counted
 *   (BURST_WARMUP), for the same reason: a fresh thread compiles its batch paths during its first burst;
 * - memory: per idle connection (500 connections to one document), and per loaded 100k-edit document;
 * - cold open (ours): a document whose history is 100k stored updates, and the same document compacted.
 *
 * `LATENCY_ONLY=1` stops after the latency rounds (a quicker run while tuning). `LATENCY_DETAIL=1` prints, for
 * each round, how many updates reached even their first reader late (the server reacted late) and how many
 * took long to reach all twenty (a slow fan-out): where a p99 comes from.
 *
 * Not a test: it asserts nothing. The figures go into docs/benchmarks.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { historyState } from './history.js';
import type { Request, ServerReady } from './server.js';

type Mode = 'ours' | 'reference' | 'relay';
type Variant = Mode | 'ours-db-process';
const READERS = 20;
const LATENCY_UPDATES = Number(process.env.LATENCY_UPDATES ?? 2000);
const RATE = 200;
/** Latency rounds, the servers taking turns in each; each figure is the median over the rounds. */
const LATENCY_ROUNDS = Number(process.env.LATENCY_ROUNDS ?? 3);
/** Rounds per server before the counted ones, not counted. */
const LATENCY_WARMUP = Number(process.env.LATENCY_WARMUP ?? 1);
/** Uncounted bursts before the measured one (code compiled for batches, in every thread of the server). */
const BURST_WARMUP = Number(process.env.BURST_WARMUP ?? 1);
const BURST = Number(process.env.BURST ?? 5000);
const IDLE_CONNECTIONS = Number(process.env.IDLE_CONNECTIONS ?? 500);
const HISTORY_EDITS = Number(process.env.HISTORY_EDITS ?? 100_000);

interface ServerHandle {
  mode: Mode;
  ready: ServerReady;
  ask<T>(request: Omit<Request, 'id'>): Promise<T>;
  stop(): Promise<void>;
}

async function startServer(variant: Variant): Promise<ServerHandle> {
  const mode: Mode = variant === 'ours-db-process' ? 'ours' : variant;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const args = variant === 'ours-db-process' ? ['ours', 'process'] : [mode];
  const child: ChildProcess = fork(path.join(here, 'server.ts'), args, {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_CPU_PROFILE
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();
  let nextId = 1;
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.on('message', (m: { ready?: ServerReady; id?: number; result?: unknown; error?: string }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id !== undefined) pending.get(m.id)?.(m);
    });
  });
  return {
    mode,
    ready,
    ask: <T>(request: Omit<Request, 'id'>) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (m) => {
          pending.delete(id);
          if (m.error) reject(new Error(m.error));
          else resolve(m.result as T);
        });
        child.send({ ...request, id });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A raw protocol client: counts the document updates it receives and when. */
interface Client {
  ws: WebSocket;
  updates: number;
  onUpdate?: (n: number, at: number) => void;
  /** The last stored-acknowledgement count (ours only). */
  stored: number;
}

function urlOf(s: ServerHandle, documentId: string): string {
  return s.mode === 'ours'
    ? `ws://127.0.0.1:${s.ready.port}/sync/${documentId}`
    : `ws://127.0.0.1:${s.ready.port}/${documentId}`;
}

async function connect(s: ServerHandle, documentId: string): Promise<Client> {
  const ws = new WebSocket(urlOf(s, documentId), {
    headers: { origin: s.ready.origin, ...(s.ready.cookie ? { cookie: s.ready.cookie } : {}) },
  });
  const client: Client = { ws, updates: 0, stored: 0 };
  let joined!: () => void;
  const joinedNow = new Promise<void>((resolve) => (joined = resolve));
  ws.on('message', (data: Buffer) => {
    joined();
    if (data[0] === 0 && data[1] === 2) {
      client.updates++;
      client.onUpdate?.(client.updates, performance.now());
    } else if (data[0] === 100) {
      client.stored = readVarUint(data, 1);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  // The y-websocket servers greet with their sync step 1 once the connection is in the room; the relay is
  // in the room as soon as the socket is open.
  if (s.mode === 'relay') joined();
  await joinedNow;
  return client;
}

function readVarUint(bytes: Buffer, start: number): number {
  let value = 0;
  let multiplier = 1;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) break;
    multiplier *= 128;
  }
  return value;
}

/** `count` small update frames from one writer (one character typed each), made before timing starts. */
function updateFrames(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, update);
    frames.push(encoding.toUint8Array(encoder));
  });
  const text = doc.getText('body');
  for (let i = 0; i < count; i++) text.insert(i, 'abcdefghijklmnopqrstuvwxyz'[i % 26] ?? 'x');
  return frames;
}

async function until(predicate: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function latency(s: ServerHandle, round: number): Promise<{ p50: number; p99: number }> {
  const documentId = `bench-latency-${s.mode}-${round}`;
  const frames = updateFrames(LATENCY_UPDATES);
  const writer = await connect(s, documentId);
  const readers = await Promise.all(Array.from({ length: READERS }, () => connect(s, documentId)));
  const sentAt: number[] = [];
  const samples: number[] = [];
  /** Per update, the earliest and the latest receipt's latency. */
  const first: number[] = [];
  const last: number[] = [];
  for (const r of readers) {
    r.onUpdate = (n, at) => {
      const ms = at - (sentAt[n - 1] ?? at);
      samples.push(ms);
      first[n - 1] = Math.min(first[n - 1] ?? Infinity, ms);
      last[n - 1] = Math.max(last[n - 1] ?? 0, ms);
    };
  }
  const start = performance.now();
  for (let i = 0; i < frames.length; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    sentAt[i] = performance.now();
    writer.ws.send(frames[i] ?? new Uint8Array());
  }
  await until(() => readers.every((r) => r.updates >= frames.length), 'every delivery');
  for (const c of [writer, ...readers]) c.ws.close();
  samples.sort((a, b) => a - b);
  if (process.env.LATENCY_DETAIL) {
    const over = (values: number[], ms: number) => values.filter((v) => v > ms).length;
    const spread = first.map((f, i) => (last[i] ?? f) - f);
    console.log(
      `  ${s.mode}: of ${frames.length} updates, first reader later than 1 ms: ${over(first, 1)}, ` +
        `than 2 ms: ${over(first, 2)}; fan-out (first to last reader) over 1 ms: ${over(spread, 1)}`,
    );
  }
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

interface Cpu {
  user: number;
  system: number;
  database?: number;
}

async function cpuPerDelivery(
  s: ServerHandle,
  tag = '',
): Promise<{ us: number; databaseUs: number; seconds: number }> {
  const documentId = `bench-burst-${s.mode}${tag}`;
  const frames = updateFrames(BURST);
  const writer = await connect(s, documentId);
  const readers = await Promise.all(Array.from({ length: READERS }, () => connect(s, documentId)));
  await sleep(200);
  const before = await s.ask<Cpu>({ cmd: 'cpu' });
  const start = performance.now();
  for (const frame of frames) writer.ws.send(frame);
  await until(() => readers.every((r) => r.updates >= frames.length), 'every delivery');
  if (s.mode === 'ours') await until(() => writer.stored >= frames.length, 'the stored-acknowledgement');
  const seconds = (performance.now() - start) / 1000;
  const after = await s.ask<Cpu>({ cmd: 'cpu' });
  for (const c of [writer, ...readers]) c.ws.close();
  const cpu = after.user - before.user + (after.system - before.system);
  const deliveries = frames.length * READERS;
  const databaseUs = ((after.database ?? 0) - (before.database ?? 0)) / deliveries;
  return { us: cpu / deliveries, databaseUs, seconds };
}

interface Memory {
  heapUsed: number;
  external: number;
}
const usedBytes = (m: Memory) => m.heapUsed + m.external;

async function memoryPerIdleConnection(s: ServerHandle): Promise<number> {
  const documentId = `bench-idle-${s.mode}`;
  const first = await connect(s, documentId);
  const before = await s.ask<Memory>({ cmd: 'memory' });
  const clients: Client[] = [];
  for (let i = 0; i < IDLE_CONNECTIONS; i += 50) {
    clients.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(s, documentId)))));
  }
  await sleep(300);
  const after = await s.ask<Memory>({ cmd: 'memory' });
  for (const c of [first, ...clients]) c.ws.close();
  return (usedBytes(after) - usedBytes(before)) / clients.length;
}

/** Memory of one loaded 100k-edit document (ours: opened from its stored history; reference: sent its state). */
async function memoryPerLoadedDocument(s: ServerHandle, state: Uint8Array): Promise<number> {
  const documentId = `bench-loaded-${s.mode}`;
  if (s.mode === 'ours') await s.ask({ cmd: 'seed', documentId, edits: HISTORY_EDITS, compact: true });
  const before = await s.ask<Memory>({ cmd: 'memory' });
  const client = await connect(s, documentId);
  if (s.mode === 'reference') {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, state);
    client.ws.send(encoding.toUint8Array(encoder));
    await sleep(500);
  }
  const after = await s.ask<Memory>({ cmd: 'memory' });
  client.ws.close();
  return usedBytes(after) - usedBytes(before);
}

/** Ours: from connecting to receiving the document (sync step 2) for a document not in memory. */
async function coldOpen(s: ServerHandle, documentId: string): Promise<number> {
  await s.ask({ cmd: 'unload' });
  const start = performance.now();
  const ws = new WebSocket(urlOf(s, documentId), {
    headers: { origin: s.ready.origin, cookie: s.ready.cookie ?? '' },
  });
  const received = new Promise<number>((resolve) =>
    ws.on('message', (data: Buffer) => {
      if (data[0] === 0 && data[1] === 1) resolve(performance.now() - start);
    }),
  );
  ws.on('open', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, new Y.Doc());
    ws.send(encoding.toUint8Array(encoder));
  });
  const ms = await received;
  ws.close();
  return ms;
}

const fmt = (n: number, digits = 2) => n.toFixed(digits);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};
const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;

async function main(): Promise<void> {
  console.log(
    `bench:sync: ${READERS} readers; latency ${LATENCY_UPDATES} updates at ${RATE}/s, median of ${LATENCY_ROUNDS} rounds after ${LATENCY_WARMUP} not counted; burst ${BURST}; ` +
      `${IDLE_CONNECTIONS} idle connections; ${HISTORY_EDITS}-edit document; node ${process.version}`,
  );
  const state = historyState(HISTORY_EDITS);
  const rows: Record<string, Record<string, string>> = {};
  const variants = (process.env.SERVERS ?? 'relay,reference,ours,ours-db-process').split(',') as Variant[];
  // Latency first, in rounds where the servers take turns: a moment of load on the shared machine then
  // falls on one round of every server rather than on all of one server's samples.
  const servers = new Map<Variant, ServerHandle>();
  const latencies = new Map<Variant, { p50: number; p99: number }[]>();
  try {
    for (const variant of variants) servers.set(variant, await startServer(variant));
    for (let round = 0; round < LATENCY_WARMUP; round++) {
      for (const s of servers.values()) await latency(s, -1 - round);
    }
    for (let round = 0; round < LATENCY_ROUNDS; round++) {
      for (const variant of variants) {
        const s = servers.get(variant);
        if (!s) continue;
        const lat = await latency(s, round);
        latencies.set(variant, [...(latencies.get(variant) ?? []), lat]);
        console.log(
          `latency round ${round + 1}/${LATENCY_ROUNDS} ${variant}: p50 ${fmt(lat.p50)} ms, p99 ${fmt(lat.p99)} ms`,
        );
      }
    }
  } finally {
    for (const s of servers.values()) await s.stop();
  }
  if (process.env.LATENCY_ONLY) {
    // A quicker run while tuning: the latency rounds and their ratios, nothing else.
    const relay = median((latencies.get('relay') ?? []).map((r) => r.p99));
    for (const variant of variants) {
      const rounds = latencies.get(variant) ?? [];
      const p50 = median(rounds.map((r) => r.p50));
      const p99 = median(rounds.map((r) => r.p99));
      console.log(
        `${variant}: p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms (${fmt(p99 / relay)}x the relay's p99)`,
      );
    }
    return;
  }
  for (const variant of variants) {
    const s = await startServer(variant);
    const mode = s.mode;
    try {
      const rounds = latencies.get(variant) ?? [];
      for (let i = 0; i < BURST_WARMUP; i++) await cpuPerDelivery(s, `-warm-up-${i}`);
      const cpu = await cpuPerDelivery(s);
      const idle = await memoryPerIdleConnection(s);
      const row: Record<string, string> = {
        'latency p50 (ms)': fmt(median(rounds.map((r) => r.p50))),
        'latency p99 (ms)': fmt(median(rounds.map((r) => r.p99))),
        'CPU µs / delivery': fmt(cpu.us),
        ...(variant === 'ours-db-process'
          ? { 'database process CPU µs / delivery': fmt(cpu.databaseUs) }
          : {}),
        'burst wall time (s)': fmt(cpu.seconds),
        'memory / idle connection': kib(idle),
      };
      if (mode !== 'relay')
        row['memory / loaded 100k-edit doc'] = kib(await memoryPerLoadedDocument(s, state));
      if (mode === 'ours') {
        await s.ask({ cmd: 'seed', documentId: 'bench-history', edits: HISTORY_EDITS });
        await s.ask({ cmd: 'seed', documentId: 'bench-compacted', edits: HISTORY_EDITS, compact: true });
        row['cold open, 100k-update log (ms)'] = fmt(await coldOpen(s, 'bench-history'), 0);
        row['cold open, compacted (ms)'] = fmt(await coldOpen(s, 'bench-compacted'), 0);
      }
      rows[variant] = row;
      console.log(variant, row);
    } finally {
      await s.stop();
    }
  }
  console.table(rows);
  const relay = rows.relay;
  const ref = rows.reference;
  const ratio = (a?: string, b?: string) => fmt(Number(a) / Number(b));
  for (const name of ['ours', 'ours-db-process']) {
    const our = rows[name];
    if (!relay || !ref || !our) continue;
    console.log(
      `${name} / relay latency: p50 ${ratio(our['latency p50 (ms)'], relay['latency p50 (ms)'])}x, ` +
        `p99 ${ratio(our['latency p99 (ms)'], relay['latency p99 (ms)'])}x (target ≤ 1.2x); ` +
        `${name} / reference CPU per delivery: ${ratio(our['CPU µs / delivery'], ref['CPU µs / delivery'])}x (target ≤ 1x)`,
    );
  }
}

await main();
