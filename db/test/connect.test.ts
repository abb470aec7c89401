/**
 * connectDb: the embedded path (owner), a second connection on the same folder sharing the owner's server,
 * a stale lock taken over, a folder held by a live process that publishes no address, the MONGODB_URL path,
 * and `db:serve` as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { Schema } from 'mongoose';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseNameInUrl } from '../src/connect';
import { connectDb, redactUrl, type DbHandle } from '../src/index';
import { ADDRESS_FILE, LOCK_FILE, acquireDataDirLock } from '../src/embedded/lock';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cope-connect-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function collectingLogger(): { logger: pino.Logger; messages: () => string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    messages: () => lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
  };
}

async function connect(dataDir: string, logger = collectingLogger().logger): Promise<DbHandle> {
  const handle = await connectDb({ dataDir, logger });
  cleanups.push(() => handle.close());
  return handle;
}

/** The pid of a process that has exited, for a lock file whose owner is gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

const noteSchema = new Schema({ title: { type: String, required: true, unique: true } });

describe('connectDb, embedded', () => {
  it('owns the folder: starts the server, publishes its address, logs the path taken, cleans up on close', async () => {
    const dataDir = await tempDir();
    const log = collectingLogger();
    const db = await connectDb({ dataDir, logger: log.logger });
    let closed = false;
    cleanups.push(async () => {
      if (!closed) await db.close();
    });
    expect(db.mode).toBe('embedded');
    expect(db.url).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    expect(db.connection.name).toBe('cope');
    expect(log.messages().some((msg) => msg.startsWith('using the embedded database at'))).toBe(true);
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    expect(JSON.parse(await readFile(path.join(dataDir, ADDRESS_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      url: db.url,
    });

    const Note = db.connection.model('Note', noteSchema);
    await Note.init();
    await Note.create({ title: 'first' });
    await expect(Note.create({ title: 'first' })).rejects.toMatchObject({ code: 11000 });
    expect(await Note.countDocuments()).toBe(1);
    expect(await db.ping()).toBe(true);

    await db.close();
    closed = true;
    expect(await db.ping()).toBe(false);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(existsSync(path.join(dataDir, ADDRESS_FILE))).toBe(false);

    // The data is durable: a new owner on the same folder finds it.
    const again = await connect(dataDir);
    expect(again.mode).toBe('embedded');
    expect(await again.connection.model('Note', noteSchema).countDocuments()).toBe(1);
  });

  it('a second connectDb on the same folder shares the owner’s server', async () => {
    const dataDir = await tempDir();
    const owner = await connect(dataDir);
    const log = collectingLogger();
    const second = await connect(dataDir, log.logger);
    expect(second.mode).toBe('embedded-shared');
    expect(second.url).toBe(owner.url);
    expect(
      log.messages().some((msg) => msg.includes(`using the embedded database of process ${process.pid}`)),
    ).toBe(true);
    await owner.connection.collection('shared').insertOne({ _id: 'from-owner' } as never);
    expect(await second.connection.collection('shared').findOne({ _id: 'from-owner' } as never)).toEqual({
      _id: 'from-owner',
    });
    expect(await second.ping()).toBe(true);
    // Closing the sharer leaves the owner's server running.
    await second.close();
    expect(await owner.ping()).toBe(true);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);
  });

  it('takes over a stale lock whose owner is gone', async () => {
    const dataDir = await tempDir();
    const pid = await deadPid();
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid }));
    await writeFile(path.join(dataDir, ADDRESS_FILE), JSON.stringify({ pid, url: 'mongodb://127.0.0.1:1' }));
    const db = await connect(dataDir);
    expect(db.mode).toBe('embedded');
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    expect(JSON.parse(await readFile(path.join(dataDir, ADDRESS_FILE), 'utf8'))).toEqual({
      pid: process.pid,
      url: db.url,
    });
    expect(await db.ping()).toBe(true);
  });

  it('lets exactly one of several simultaneous takers have a stale lock', async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: await deadPid() }));
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => acquireDataDirLock(dataDir)));
    const acquired = outcomes.filter((outcome) => outcome.kind === 'acquired');
    expect(acquired).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome.kind === 'held')).toHaveLength(5);
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    for (const outcome of acquired) if (outcome.kind === 'acquired') await outcome.lock.release();
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(
      (await readdir(dataDir)).filter((name) => name.includes('.tmp') || name.includes('stale')),
    ).toEqual([]);
  });

  it('stops with a clear message when a live process holds the folder without publishing an address', async () => {
    const dataDir = await tempDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    cleanups.push(async () => {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    });
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: holder.pid }));
    await expect(connectDb({ dataDir, logger: collectingLogger().logger })).rejects.toThrow(
      new RegExp(`in use by process ${holder.pid}`),
    );
    // It did not take the folder.
    expect(JSON.parse(await readFile(path.join(dataDir, LOCK_FILE), 'utf8'))).toEqual({ pid: holder.pid });
  });
});

describe('connectDb, external MongoDB', () => {
  const url = process.env.MONGODB_URL;
  it.skipIf(url === undefined || url === '')(
    'connects to MONGODB_URL and logs it without credentials',
    async () => {
      const log = collectingLogger();
      const db = await connectDb({
        mongodbUrl: url!,
        dataDir: await tempDir(),
        dbName: `connect_${process.pid}`,
        logger: log.logger,
      });
      cleanups.push(() => db.close());
      expect(db.mode).toBe('external');
      expect(await db.ping()).toBe(true);
      expect(log.messages()).toContain(`using MongoDB at ${redactUrl(url!)}`);
    },
  );

  it('reads the database named in a URL', () => {
    expect(databaseNameInUrl('mongodb://u:p@a:1,b:2/prod?replicaSet=rs')).toBe('prod');
    expect(databaseNameInUrl('mongodb://localhost:27017/?retryWrites=true')).toBeUndefined();
    expect(databaseNameInUrl('mongodb://localhost:27017')).toBeUndefined();
  });

  it('redacts credentials from URLs', () => {
    expect(redactUrl('mongodb://user:secret@db.example:27017/cope?authSource=admin')).toBe(
      'mongodb://db.example:27017/cope?authSource=admin',
    );
    expect(redactUrl('mongodb+srv://u:p@cluster.example/')).toBe('mongodb+srv://cluster.example/');
    expect(redactUrl('mongodb://127.0.0.1:27017')).toBe('mongodb://127.0.0.1:27017');
  });
});

describe('db:serve', () => {
  function serve(args: string[]): {
    child: ChildProcess;
    output: () => string;
    exited: Promise<number | null>;
  } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'db/src/bin/db-serve.ts', ...args], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    });
    return { child, output: () => output, exited };
  }

  async function waitForReady(server: ReturnType<typeof serve>): Promise<string> {
    for (;;) {
      const match = /ready at (mongodb:\/\/\S+)/.exec(server.output());
      if (match !== null) return match[1]!;
      if (server.child.exitCode !== null) throw new Error(`db:serve exited early: ${server.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('prints ready with its URL, serves the folder to other processes, and stops on SIGTERM', async () => {
    const dataDir = await tempDir();
    const server = serve(['--port', '0', '--data-dir', dataDir]);
    const url = await waitForReady(server);
    const client = await MongoClient.connect(url);
    try {
      await client
        .db('cli')
        .collection('items')
        .insertOne({ _id: 1 } as never);
      expect(await client.db('cli').collection('items').countDocuments()).toBe(1);
    } finally {
      await client.close();
    }
    // The app on the same folder uses db:serve's server instead of opening the files again.
    const shared = await connect(dataDir);
    expect(shared.mode).toBe('embedded-shared');
    expect(shared.url).toBe(url);
    await shared.close();

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('stops on SIGINT too', async () => {
    const server = serve(['--port', '0', '--data-dir', await tempDir()]);
    await waitForReady(server);
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
  });

  it('refuses invalid arguments with exit code 2', async () => {
    const badPort = serve(['--port', 'seventy', '--data-dir', await tempDir()]);
    expect(await badPort.exited).toBe(2);
    expect(badPort.output()).toMatch(/--port/);
    const unknown = serve(['--colour', 'blue']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toMatch(/usage: pnpm db:serve/);
  });
});
