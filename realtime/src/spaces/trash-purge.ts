/**
 * Runs the trash purge (db: purgeTrash) at start-up and then every hour: what has been in a space's trash
 * for 30 days goes for good, with its stored content. An hour's delay on a 30-day limit does not matter.
 */
import { purgeTrash, type DbHandle } from '@cope/db';
import type { Logger } from 'pino';

const HOUR_MS = 60 * 60 * 1000;

/** Starts the sweep; returns the function that stops it. */
export function startTrashPurge(conn: DbHandle['connection'], logger: Logger, everyMs = HOUR_MS): () => void {
  let running = false;
  const sweep = () => {
    if (running) return;
    running = true;
    purgeTrash(conn)
      .then(({ purged }) => {
        if (purged > 0) logger.info({ purged }, 'spaces: purged documents and folders trashed 30 days ago');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'spaces: trash purge failed'))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  sweep();
  return () => clearInterval(timer);
}
