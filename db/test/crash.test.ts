/**
 * Durability under kill -9: a child process inserts and updates acknowledged documents in a loop and is
 * killed with SIGKILL after a random (seeded) number of acknowledgements; the server restarted on the same
 * folder must hold every acknowledged document at its last acknowledged version or later, byte for byte, and
 * no document may be half written. Rerun a failing seed with CRASH_SEED=<seed>.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Binary } from 'mongodb';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedServer } from '../src/embedded/index';

const ROUNDS = 4;
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const fixture = path.join(here, 'fixtures/crash-writer.ts');

const seed = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) : Date.now() % 2 ** 31;

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed. */
function seededRandom(initial: number): () => number {
  let state = initial >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RoundResult {
  acked: number[];
  /** The last acknowledged version of each updated document. */
  updated: Map<number, number>;
  signal: NodeJS.Signals | null;
}

/** Runs the writer until it has acknowledged `killAfterAcks` documents (plus a random pause), then SIGKILLs it. */
function runWriterAndKill(
  dataDir: string,
  firstSeq: number,
  killAfterAcks: number,
  pauseMs: number,
): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, String(firstSeq)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: number[] = [];
    const updated = new Map<number, number>();
    let pending = '';
    let stderr = '';
    let killScheduled = false;
    const watchdog = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`writer made no progress in time (acks: ${acked.length}); stderr:\n${stderr}`));
    }, 30_000);

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const insert = /^ack (\d+)$/.exec(line);
        if (insert?.[1] !== undefined) acked.push(Number(insert[1]));
        const update = /^upd (\d+) (\d+)$/.exec(line);
        if (update?.[1] !== undefined && update[2] !== undefined)
          updated.set(Number(update[1]), Number(update[2]));
      }
      if (!killScheduled && acked.length >= killAfterAcks) {
        killScheduled = true;
        setTimeout(() => child.kill('SIGKILL'), pauseMs);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      // Only complete lines count: a line cut by the kill was never fully acknowledged to us.
      if (signal !== 'SIGKILL')
        reject(new Error(`writer exited on its own (code ${code}); stderr:\n${stderr}`));
      else resolve({ acked, updated, signal });
    });
  });
}

interface StoredDoc {
  _id: number;
  payload: Binary;
  sha256: string;
  version: number;
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'cope-db-crash-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('keeps every acknowledged write across SIGKILL and restart', async () => {
    console.log(`crash test seed: ${seed} (replay with CRASH_SEED=${seed})`);
    const random = seededRandom(seed);
    const allAcked: number[] = [];
    const allUpdated = new Map<number, number>();

    for (let round = 0; round < ROUNDS; round++) {
      const killAfterAcks = 20 + Math.floor(random() * 300);
      const pauseMs = Math.floor(random() * 40);
      const { acked, updated } = await runWriterAndKill(dataDir, round * 1_000_000, killAfterAcks, pauseMs);
      expect(acked.length).toBeGreaterThanOrEqual(killAfterAcks);
      allAcked.push(...acked);
      for (const [seq, version] of updated) allUpdated.set(seq, version);

      const server = await startEmbeddedServer({ dataDir, port: 0, logger: pino({ level: 'warn' }) });
      const client = await MongoClient.connect(server.url);
      try {
        const docs = client.db('crash').collection<StoredDoc>('docs');
        const stored = await docs.find({}).toArray();
        const byId = new Map(stored.map((d) => [d._id, d]));
        const missing = allAcked.filter((seq) => !byId.has(seq));
        expect(missing, `round ${round}: acknowledged but missing`).toEqual([]);
        // An acknowledged update is never lost (a later, unacknowledged one may have landed too).
        const lostUpdates = [...allUpdated]
          .filter(([seq, version]) => (byId.get(seq)?.version ?? -1) < version)
          .map(([seq]) => seq);
        expect(lostUpdates, `round ${round}: acknowledged updates lost`).toEqual([]);
        // Every stored document, acknowledged or not, must be whole.
        const corrupt = stored
          .filter((d) => createHash('sha256').update(d.payload.buffer).digest('hex') !== d.sha256)
          .map((d) => d._id);
        expect(corrupt, `round ${round}: corrupt documents`).toEqual([]);
        expect(stored.length).toBeGreaterThanOrEqual(allAcked.length);
      } finally {
        await client.close();
        await server.close();
      }
    }
    // The update path was exercised too.
    expect(allUpdated.size).toBeGreaterThan(0);
  }, 60_000);
});
