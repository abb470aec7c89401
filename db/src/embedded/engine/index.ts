/** The embedded server's storage engine: `openEngine` opens (or creates) the SQLite database in `dataDir`. */
import { SqliteEngine } from './engine';
import type { EngineOptions } from './types';

export { SqliteEngine } from './engine';
export { FORMAT_VERSION, DATABASE_FILE } from './storage';
export * from './types';

export function openEngine(options: EngineOptions): SqliteEngine {
  return new SqliteEngine(options);
}
