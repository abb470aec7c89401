/**
 * Write-ahead log checkpoints from a thread of their own: the database file takes in what was committed
 * without any commit copying the log, and data survives closing and reopening the folder.
 */
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Int32 } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, openEngine, type SqliteEngine } from '../../src/embedded/engine/index';
import { tempDir } from './engine-fixture';

const opened: { engine: SqliteEngine; dir: string }[] = [];
afterEach(() => {
  for (const { engine, dir } of opened.splice(0)) {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const sizeOf = (file: string) => statSync(file).size;
const until = async (predicate: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return predicate();
};

/** About 6 MB of documents in 30 commits: far more than the 1,000 pages SQLite would checkpoint at by itself. */
function writeMegabytes(engine: SqliteEngine): void {
  const text = 'x'.repeat(2000);
  for (let batch = 0; batch < 30; batch++) {
    const docs = Array.from({ length: 100 }, (_, i) => ({ _id: new Int32(batch * 100 + i), text }));
    engine.insert('db', 'c', docs, true);
  }
}

describe('background checkpoints', () => {
  it('copy the log into the database file from their own thread', async () => {
    const dir = tempDir();
    const engine = openEngine({ dataDir: dir, ttlIntervalMs: 0, checkpointIntervalMs: 50 });
    opened.push({ engine, dir });
    const file = path.join(dir, DATABASE_FILE);
    const before = sizeOf(file);
    writeMegabytes(engine);
    // The writer's own checkpoint waits for 64 MiB of log, so only the checkpointer can have grown the file.
    expect(await until(() => sizeOf(file) > before + 5_000_000)).toBe(true);
    expect(engine.find('db', 'c', { filter: { _id: new Int32(2999) } })).toHaveLength(1);
  });

  it('leave every committed document readable after closing and reopening', async () => {
    const dir = tempDir();
    const first = openEngine({ dataDir: dir, ttlIntervalMs: 0, checkpointIntervalMs: 50 });
    writeMegabytes(first);
    await new Promise((r) => setTimeout(r, 120));
    first.close();
    const again = openEngine({ dataDir: dir, ttlIntervalMs: 0, checkpointIntervalMs: 50 });
    opened.push({ engine: again, dir });
    expect(again.count('db', 'c', {})).toBe(3000);
  });
});
