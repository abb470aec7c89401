/**
 * A server process killed with SIGKILL right after it acknowledged updates as stored still has every one of
 * them after a restart on the same data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { provider, seeded, waitUntil, type CountingProvider } from './sync-support.js';

const entry = fileURLToPath(new URL('./sync-crash-server.ts', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServerProcess(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MONGODB_URL: '' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${output}`)));
  });
  return { child, port };
}

function open(port: number, documentId: string, doc = new Y.Doc()): CountingProvider {
  const origin = `http://127.0.0.1:${port}`;
  const p = provider(origin, `ws://127.0.0.1:${port}`, documentId, { doc });
  cleanups.push(() => {
    p.destroy();
    return Promise.resolve();
  });
  return p;
}

describe('crash safety of the sync server', () => {
  it('keeps every acknowledged update after SIGKILL and a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-sync-crash-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const seed = Number(process.env.SYNC_SEED ?? Date.now() % 100_000);
    console.info(`sync crash seed: ${seed} (replay with SYNC_SEED=${seed})`);
    const random = seeded(seed);

    const first = await startServerProcess(dataDir);
    const writer = open(first.port, 'doc-crash');
    await waitUntil(() => writer.synced, 'sync');
    const text = writer.doc.getText('body');
    const rounds = 5 + Math.floor(random() * 20);
    for (let i = 0; i < rounds; i++) {
      text.insert(text.length, `line ${i}\n`);
      if (random() < 0.3) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await waitUntil(
      () => writer.settled === writer.sentDocumentFrames,
      'the acknowledgement of every update',
    );
    // What the client knows is stored, at the moment it knows it.
    const acknowledged = text.toJSON();
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    writer.destroy();

    const second = await startServerProcess(dataDir);
    const reader = open(second.port, 'doc-crash');
    await waitUntil(() => reader.synced, 'sync after the restart');
    expect(reader.doc.getText('body').toJSON()).toBe(acknowledged);
    expect(acknowledged.split('\n')).toHaveLength(rounds + 1);
  });
});
