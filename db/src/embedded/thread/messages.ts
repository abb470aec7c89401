/** The messages between the process and the embedded database's worker thread. */

/** What the thread is started with (`workerData`). */
export interface ThreadOptions {
  dataDir: string;
  port: number;
  host: string;
  /** pino level for the thread's own logger. */
  logLevel: string;
  /** Bindings of the parent logger (e.g. `component`), so lines read the same as before. */
  bindings: Record<string, unknown>;
}

export type FromThread =
  | { type: 'listening'; host: string; port: number; url: string }
  | { type: 'failed'; message: string; stack?: string }
  | { type: 'closed' };

export type ToThread = { type: 'close' };
