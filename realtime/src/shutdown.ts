/**
 * Graceful shutdown on SIGTERM and SIGINT: run the steps in order (stop accepting and close sockets,
 * flush and close the database), and exit within `deadlineMs` whatever happens.
 */
import type { Logger } from 'pino';

export const SHUTDOWN_DEADLINE_MS = 10_000;

export function onShutdownSignals(
  logger: Logger,
  steps: () => Promise<void>,
  deadlineMs = SHUTDOWN_DEADLINE_MS,
): void {
  let started = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error({ deadlineMs }, 'shutdown took too long; exiting anyway');
      process.exit(1);
    }, deadlineMs);
    steps()
      .then(() => {
        clearTimeout(deadline);
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
