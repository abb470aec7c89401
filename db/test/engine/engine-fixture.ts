/** A storage engine on a fresh temp folder for one test, removed afterwards. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { openEngine, type SqliteEngine } from '../../src/embedded/engine/index';

const open: { engine: SqliteEngine; dir: string }[] = [];

afterEach(() => {
  for (const { engine, dir } of open.splice(0)) {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'cope-engine-'));
}

/** Opens an engine (TTL timer off unless asked) that is closed and deleted after the test. */
export function freshEngine(ttlIntervalMs = 0, dir = tempDir()): SqliteEngine {
  const engine = openEngine({ dataDir: dir, ttlIntervalMs });
  open.push({ engine, dir });
  return engine;
}
