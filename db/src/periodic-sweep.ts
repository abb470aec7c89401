/**
 * A housekeeping job run at start-up and then at a fixed interval (the trash purge, the purge of sign-ups
 * never confirmed): one run at a time, failures logged and retried at the next tick, and a timer that never
 * keeps the process alive. Returns the function that stops it.
 */
export interface SweepLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface PeriodicSweep {
  /** One run; resolves with how many things it removed. */
  run: () => Promise<{ purged: number }>;
  everyMs: number;
  logger: SweepLogger;
  /** Logged with the count when a run removed something. */
  removedMessage: string;
  failedMessage: string;
}

export function startPeriodicSweep(sweep: PeriodicSweep): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    sweep
      .run()
      .then(({ purged }) => {
        if (purged > 0) sweep.logger.info({ purged }, sweep.removedMessage);
      })
      .catch((error: unknown) => sweep.logger.error({ err: error }, sweep.failedMessage))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(tick, sweep.everyMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
