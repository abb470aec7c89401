/**
 * `pnpm db:serve --port <p> --data-dir <dir>` as the README documents it: prints a line with "ready" once it
 * accepts connections, serves mongosh-style clients, keeps data across restarts and stops cleanly on SIGTERM.
 * Embedded server only: there is nothing to start when the suite runs against a real MongoDB.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/embedded/lock';
import { usingRealMongoDB, waitFor } from '../helpers';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `command` in its own process group and resolves with the URL from its "ready" line. */
function startServe(command: string, args: string[]): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      child.on('exit', (code, signal) => done({ code, signal }));
    });
    let output = '';
    const timer = setTimeout(() => {
      stopGroup(child, 'SIGKILL');
      reject(new Error(`no ready line within 30 s; output:\n${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const readyLine = output.split('\n').find((line) => /\bready\b/.test(line));
      const url = readyLine === undefined ? undefined : /mongodb:\/\/[^\s"]+/.exec(readyLine)?.[0];
      if (url !== undefined) {
        clearTimeout(timer);
        resolve({ child, url, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited early with code ${code}; output:\n${output}`));
    });
  });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

describe.skipIf(usingRealMongoDB)('pnpm db:serve', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cope-db-serve-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints ready, serves clients, and keeps data after a clean SIGTERM stop', async () => {
    const first = await startServe('pnpm', ['db:serve', '--port', '0', '--data-dir', dataDir]);
    try {
      const client = await MongoClient.connect(first.url);
      await client.db('cli').collection('notes').insertOne({ text: 'kept' });
      await client.close();
    } finally {
      stopGroup(first.child, 'SIGTERM');
    }
    await first.exited;
    // pnpm may exit before the server it started has released the folder's lock.
    const released = await waitFor(async () => !(await exists(path.join(dataDir, LOCK_FILE))), 15_000);
    expect(released).toBe(true);

    // The server process itself (what the script runs) exits 0 on SIGTERM.
    const second = await startServe(process.execPath, [
      '--import',
      'tsx',
      'db/src/bin/db-serve.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    try {
      const client = await MongoClient.connect(second.url);
      expect(
        await client
          .db('cli')
          .collection('notes')
          .findOne({}, { projection: { _id: 0 } }),
      ).toEqual({
        text: 'kept',
      });
      await client.close();
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses a data folder another db:serve is using', async () => {
    const owner = await startServe(process.execPath, [
      '--import',
      'tsx',
      'db/src/bin/db-serve.ts',
      '--port',
      '0',
      '--data-dir',
      dataDir,
    ]);
    try {
      const second = spawn(
        process.execPath,
        ['--import', 'tsx', 'db/src/bin/db-serve.ts', '--port', '0', '--data-dir', dataDir],
        {
          cwd: repoRoot,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      const code = await new Promise<number | null>((done) => second.on('exit', (c) => done(c)));
      expect(code).not.toBe(0);
      expect(stderr).toMatch(/in use/);
    } finally {
      owner.child.kill('SIGTERM');
      await owner.exited;
    }
  });
});
