/**
 * Runs the trash purge (db: purgeTrash) at start-up and then every hour: what has been in a space's trash
 * for 30 days goes for good, with its stored content. An hour's delay on a 30-day limit does not matter.
 */
import { purgeTrash, startPeriodicSweep, type DbHandle } from '@cope/db';
import type { Logger } from 'pino';

const HOUR_MS = 60 * 60 * 1000;

/** Starts the sweep; returns the function that stops it. */
export function startTrashPurge(conn: DbHandle['connection'], logger: Logger, everyMs = HOUR_MS): () => void {
  return startPeriodicSweep({
    run: () => purgeTrash(conn),
    everyMs,
    logger,
    removedMessage: 'spaces: purged documents and folders trashed 30 days ago',
    failedMessage: 'spaces: trash purge failed',
  });
}
