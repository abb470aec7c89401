/**
 * Checkpoints of the write-ahead log, off the commit path.
 *
 * With SQLite's automatic checkpoints, the commit that fills the log past 1,000 pages also copies the whole log
 * into the database file and syncs it: that commit, and every request queued behind it on the database
 * thread, waits tens of milliseconds (a channel message's delivery, a document's stored-acknowledgement). Here a
 * thread of its own, with its own connection, checkpoints every `intervalMs` in PASSIVE mode, which never
 * blocks the writer; the writer's automatic checkpoint stays as a backstop at a much larger log, should this
 * thread fall behind. Durability is unchanged: every commit is still synced to the log, and the checkpointer
 * syncs the database file before the log is reused.
 */
import { Worker } from 'node:worker_threads';

const THREAD = new URL('./checkpoint-thread.mjs', import.meta.url);

/** Log pages after which the writer checkpoints by itself (the backstop): 64 MiB of 4 KiB pages. */
export const BACKSTOP_PAGES = 16_384;

export class BackgroundCheckpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(file: string, intervalMs: number, onError: (message: string) => void) {
    this.worker = new Worker(THREAD, { workerData: { file, intervalMs } });
    this.worker.on('message', (message: { type?: string; message?: string }) => {
      if (message.type === 'error') onError(message.message ?? 'checkpoint failed');
    });
    this.worker.on('error', (error) => onError(error.message));
    // Never what keeps a process alive.
    this.worker.unref();
  }

  /** Stops checkpointing; the thread closes its connection and ends on its own. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.worker.postMessage('stop');
  }
}
