/**
 * One process owns a data folder at a time. The owner holds `embedded.lock` (created atomically, containing
 * its pid) and publishes its server's address in `embedded.json`. A lock whose pid is
 * no longer alive is stale (the owner was killed) and is taken over. Other processes on the same folder
 * read `embedded.json` and connect to the owner instead of opening the SQLite files a second time.
 */
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

export const LOCK_FILE = 'embedded.lock';
export const ADDRESS_FILE = 'embedded.json';

const lockContent = z.object({ pid: z.number().int().positive(), startedAt: z.string().optional() });
const addressContent = z.object({
  pid: z.number().int().positive(),
  url: z.string().startsWith('mongodb://'),
});
export type OwnerAddress = z.infer<typeof addressContent>;

/** Data folders owned by this very process, so that a lock naming our own pid is told apart from a reused pid. */
const ownedHere = new Set<string>();

export type LockOutcome = { kind: 'acquired'; lock: DataDirLock } | { kind: 'held'; pid: number };

export interface DataDirLock {
  readonly dataDir: string;
  /** Publishes the owner's server address for other processes. */
  publishAddress(url: string): Promise<void>;
  /** Removes the address file and the lock (only if the lock is still ours). */
  release(): Promise<void>;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLockPid(file: string): Promise<number | undefined> {
  try {
    const parsed = lockContent.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data.pid : undefined;
  } catch {
    return undefined;
  }
}

async function readAddressPid(file: string): Promise<number | undefined> {
  try {
    const parsed = addressContent.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data.pid : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the lock file with our pid; false if a lock already exists. */
async function createLockFile(lockFile: string): Promise<boolean> {
  const content = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() });
  const draft = `${lockFile}.${process.pid}-${randomUUID()}.tmp`;
  await writeFile(draft, content, { flag: 'wx' });
  try {
    await link(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    // A file system without hard links: `wx` is atomic too, the lock is just briefly empty.
    try {
      await writeFile(lockFile, content, { flag: 'wx' });
      return true;
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw fallbackError;
    }
  } finally {
    await rm(draft, { force: true });
  }
}

/** Tries to take the folder's lock, taking over a stale one. Reports the live owner's pid otherwise. */
export async function acquireDataDirLock(dataDir: string): Promise<LockOutcome> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true });
  const lockFile = path.join(dir, LOCK_FILE);
  const addressFile = path.join(dir, ADDRESS_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    // The lock appears with its content in one step: written to a private file, then hard-linked into
    // place, which fails if a lock already exists (the same guarantee as the `wx` flag, without a moment
    // where the lock exists but is still empty).
    if (await createLockFile(lockFile)) {
      ownedHere.add(dir);
      return { kind: 'acquired', lock: makeLock(dir, lockFile, addressFile) };
    }
    const pid = await readLockPid(lockFile);
    const ownerAlive =
      pid !== undefined && isProcessAlive(pid) && (pid !== process.pid || ownedHere.has(dir));
    if (ownerAlive) return { kind: 'held', pid };
    // Stale: its owner is gone (killed, crashed). Move it aside atomically before deleting it, so that of two
    // processes taking over at once, neither deletes the fresh lock the other has just created.
    const aside = `${lockFile}.stale-${process.pid}-${attempt}`;
    try {
      await rename(lockFile, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const movedPid = await readLockPid(aside);
    if (movedPid !== pid) {
      // Someone replaced the stale lock in between: put theirs back (unless yet another one exists).
      await link(aside, lockFile).catch(() => undefined);
      await rm(aside, { force: true });
      continue;
    }
    await rm(aside, { force: true });
    if ((await readAddressPid(addressFile)) === pid) await rm(addressFile, { force: true });
  }
  throw new Error(`could not take the lock of data folder ${dir}`);
}

function makeLock(dir: string, lockFile: string, addressFile: string): DataDirLock {
  let released = false;
  return {
    dataDir: dir,
    async publishAddress(url) {
      const content: OwnerAddress = { pid: process.pid, url };
      const temp = `${addressFile}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(content));
      await rename(temp, addressFile);
    },
    async release() {
      if (released) return;
      released = true;
      ownedHere.delete(dir);
      if ((await readLockPid(lockFile)) !== process.pid) return;
      await rm(addressFile, { force: true });
      await rm(lockFile, { force: true });
    },
  };
}

/** The owner's published address, waiting up to `timeoutMs` for an owner that is still starting. */
export async function readOwnerAddress(dataDir: string, timeoutMs = 5000): Promise<OwnerAddress | undefined> {
  const file = path.join(path.resolve(dataDir), ADDRESS_FILE);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const parsed = addressContent.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // Not there yet (or being replaced): retry until the deadline.
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
