/**
 * `pnpm bench:channels`: the channels' speed beside a bare socket.io room broadcast, in one run on loopback.
 *
 * For each server (the real one with sessions, validation, can() and persistence; and a bare broadcast),
 * in a child process of its own so its CPU time can be read:
 * - burst: 20 members in one channel, one of them sends 10,000 messages as fast as socket.io takes them;
 *   deliveries per second (messages × 20 receivers, until the last one arrives) and server CPU µs per delivery.
 *   Before it, uncounted: 200 messages one at a time, then a burst of 2,000 (`WARMUP_BURST`), so that the
 *   measured burst runs on compiled code, as in a server that has been up for a while;
 * - paced: 200 messages a second for 10 seconds; latency from send to receipt, p50 and p99 over every
 *   delivery to the other 19 members.
 *
 * `BENCH_DB=process` puts the database in a process of its own (`pnpm db:serve`, as a MongoDB server would
 * be); the CPU per delivery then counts both processes.
 *
 * Not a test: it asserts nothing. The figures go into docs/benchmarks.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { io as connect, type Socket } from 'socket.io-client';
import type { ServerReady } from './server.js';

const MEMBERS = 20;
const BURST = Number(process.env.BURST ?? 10_000);
/** Messages of the burst that runs before the measured one, not counted (0: none). */
const WARMUP_BURST = Number(process.env.WARMUP_BURST ?? 2_000);
const RATE = 200;
const PACED_SECONDS = Number(process.env.PACED_SECONDS ?? 10);
const BODY =
  'Meeting notes for the Zagreb visit are in the shared folder: please add your questions by Friday.';

interface ServerHandle {
  child: ChildProcess;
  ready: ServerReady;
  /** The server's CPU time, its database process's included when it has one, in microseconds. */
  cpu(): Promise<{ total: number; database: number }>;
  stop(): Promise<void>;
}

async function startServer(mode: 'cope' | 'bare'): Promise<ServerHandle> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const child = fork(path.join(here, 'server.ts'), [mode], {
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_CPU_PROFILE
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE]
        : []),
    ],
    env: { ...process.env, MEMBERS: String(MEMBERS) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    child.on('message', (m: { ready?: ServerReady }) => {
      if (m.ready) resolve(m.ready);
    });
  });
  return {
    child,
    ready,
    cpu: () =>
      new Promise((resolve) => {
        const onMessage = (m: { cpu?: NodeJS.CpuUsage; databaseMicros?: number }) => {
          if (!m.cpu) return;
          child.off('message', onMessage);
          const database = m.databaseMicros ?? 0;
          resolve({ total: m.cpu.user + m.cpu.system + database, database });
        };
        child.on('message', onMessage);
        child.send('cpu');
      }),
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function clientsFor(ready: ServerReady): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (const cookie of ready.cookies) {
    const socket = connect(ready.origin, {
      transports: ['websocket'],
      extraHeaders: { origin: ready.origin, cookie },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = (await socket.emitWithAck('channel:join', { channelId: ready.channelId })) as { ok: boolean };
    if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
    sockets.push(socket);
  }
  return sockets;
}

let counter = 0;
const nextClientId = () => `bench${process.pid}x${(counter += 1)}`;

async function burst(server: ServerHandle, sockets: Socket[], messages = BURST) {
  const sender = sockets[0];
  if (!sender) throw new Error('no sender');
  let delivered = 0;
  const total = messages * sockets.length;
  const done = new Promise<void>((resolve) => {
    for (const s of sockets) {
      s.on('message:new', () => {
        delivered += 1;
        if (delivered === total) resolve();
      });
    }
  });
  const cpuBefore = await server.cpu();
  const start = performance.now();
  let refused = 0;
  for (let i = 0; i < messages; i++) {
    sender.emit(
      'message:send',
      { channelId: server.ready.channelId, clientId: nextClientId(), body: `${BODY} #${i}` },
      (ack: { ok: boolean }) => {
        if (!ack.ok) refused += 1;
      },
    );
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = await server.cpu();
  for (const s of sockets) s.off('message:new');
  const cpuMicros = cpuAfter.total - cpuBefore.total;
  const databaseMicros = cpuAfter.database - cpuBefore.database;
  return {
    deliveriesPerSecond: total / seconds,
    cpuMicrosPerDelivery: cpuMicros / total,
    databaseMicrosPerDelivery: databaseMicros / total,
    seconds,
    refused,
  };
}

async function paced(server: ServerHandle, sockets: Socket[]) {
  const sender = sockets[0];
  if (!sender) throw new Error('no sender');
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  for (const s of sockets.slice(1)) {
    s.on('message:new', (m: { clientId: string }) => {
      const at = sentAt.get(m.clientId);
      if (at !== undefined) latencies.push(performance.now() - at);
    });
  }
  const count = RATE * PACED_SECONDS;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    // Each send at its scheduled time, so a slow message does not delay the ones after it.
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const clientId = nextClientId();
    sentAt.set(clientId, performance.now());
    sender.emit('message:send', { channelId: server.ready.channelId, clientId, body: `${BODY} @${i}` });
  }
  const expected = count * (sockets.length - 1);
  const deadline = performance.now() + 10_000;
  while (latencies.length < expected && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  for (const s of sockets) s.off('message:new');
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN, received: latencies.length, expected };
}

async function measure(mode: 'cope' | 'bare') {
  const server = await startServer(mode);
  try {
    const sockets = await clientsFor(server.ready);
    // A short warm-up (JIT, the database's first pages) that is not counted.
    for (let i = 0; i < 200; i++) {
      await sockets[0]?.emitWithAck('message:send', {
        channelId: server.ready.channelId,
        clientId: nextClientId(),
        body: BODY,
      });
    }
    // Then a burst that is not counted either: the batch paths (large inserts, broadcasts of many stored
    // messages) compiled, as in a server that has been running, rather than compiling inside the measured
    // burst.
    if (WARMUP_BURST > 0) await burst(server, sockets, WARMUP_BURST);
    const b = await burst(server, sockets);
    const p = await paced(server, sockets);
    for (const s of sockets) s.close();
    return { ...b, ...p };
  } finally {
    await server.stop();
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

type Figures = Awaited<ReturnType<typeof measure>>;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
// The two sides take turns and each figure is the median of the rounds, so that a burst of load from
// elsewhere on the machine hits both alike.
const rounds: { bare: Figures; cope: Figures }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const b = await measure('bare');
  const c = await measure('cope');
  rounds.push({ bare: b, cope: c });
  console.error(`round ${r + 1}/${ROUNDS} done`);
}
const median = (side: 'bare' | 'cope', key: keyof Figures): number => {
  const values = rounds.map((r) => r[side][key]).sort((x, y) => x - y);
  return values[Math.floor(values.length / 2)] ?? NaN;
};
const pick = (side: 'bare' | 'cope') => ({
  deliveriesPerSecond: median(side, 'deliveriesPerSecond'),
  cpuMicrosPerDelivery: median(side, 'cpuMicrosPerDelivery'),
  databaseMicrosPerDelivery: median(side, 'databaseMicrosPerDelivery'),
  seconds: median(side, 'seconds'),
  p50: median(side, 'p50'),
  p99: median(side, 'p99'),
  max: median(side, 'max'),
  received: median(side, 'received'),
  expected: median(side, 'expected'),
  refused: median(side, 'refused'),
});
const bare = pick('bare');
const cope = pick('cope');
console.log(
  `channels: ${MEMBERS} members, database ${process.env.BENCH_DB === 'process' ? 'in a process of its own' : 'in the server process'}, ` +
    `burst of ${BURST} messages, then ${RATE} msg/s for ${PACED_SECONDS} s (loopback), median of ${ROUNDS} rounds`,
);
console.log('');
console.log('| | bare socket.io broadcast | COPE channels | ratio |');
console.log('|---|---:|---:|---:|');
console.log(
  `| burst: deliveries/s | ${fmt(bare.deliveriesPerSecond)} | ${fmt(cope.deliveriesPerSecond)} | ${fmt(cope.deliveriesPerSecond / bare.deliveriesPerSecond, 2)}x |`,
);
console.log(
  `| burst: server CPU µs/delivery | ${fmt(bare.cpuMicrosPerDelivery, 2)} | ${fmt(cope.cpuMicrosPerDelivery, 2)} | ${fmt(cope.cpuMicrosPerDelivery / bare.cpuMicrosPerDelivery, 2)}x |`,
);
if (cope.databaseMicrosPerDelivery > 0) {
  console.log(`| burst: of which the database process | | ${fmt(cope.databaseMicrosPerDelivery, 2)} | |`);
}
console.log(`| burst: seconds | ${fmt(bare.seconds, 2)} | ${fmt(cope.seconds, 2)} | |`);
console.log(`| ${RATE} msg/s: p50 latency ms | ${fmt(bare.p50, 2)} | ${fmt(cope.p50, 2)} | |`);
console.log(`| ${RATE} msg/s: p99 latency ms | ${fmt(bare.p99, 2)} | ${fmt(cope.p99, 2)} | |`);
console.log(`| ${RATE} msg/s: max latency ms | ${fmt(bare.max, 2)} | ${fmt(cope.max, 2)} | |`);
console.log(
  `| ${RATE} msg/s: deliveries received | ${bare.received}/${bare.expected} | ${cope.received}/${cope.expected} | |`,
);
if (cope.refused > 0) console.log(`(${cope.refused} sends refused by the COPE server)`);
console.log('');
console.log(
  `burst throughput ratio in each round: ${rounds.map((r) => `${fmt(r.cope.deliveriesPerSecond / r.bare.deliveriesPerSecond, 2)}x`).join(', ')}`,
);
const throughputOk = cope.deliveriesPerSecond >= 0.7 * bare.deliveriesPerSecond;
const latencyOk = cope.p99 < 10;
console.log('');
console.log(
  `target throughput >= 0.7x bare: ${throughputOk ? 'met' : 'NOT met'}; target p99 < 10 ms: ${latencyOk ? 'met' : 'NOT met'}`,
);
