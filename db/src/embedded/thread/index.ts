/**
 * startEmbeddedServerThread: the embedded server in a worker thread of this process (see ./worker.ts for
 * why). Same handle as startEmbeddedServer; the thread ends with the process, so a crash of the process
 * takes the database with it, as before, and a SIGKILL leaves the folder as a crash would.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { EmbeddedServer } from '../index';
import type { FromThread, ThreadOptions, ToThread } from './messages';

export interface EmbeddedThreadOptions {
  dataDir: string;
  port?: number;
  host?: string;
  logger: Logger;
  /** Called if the thread stops on its own after it started (the database is then gone). */
  onUnexpectedExit?: (error: Error) => void;
}

const ENTRY = new URL('./entry.mjs', import.meta.url);

export function startEmbeddedServerThread(options: EmbeddedThreadOptions): Promise<EmbeddedServer> {
  const workerData: ThreadOptions = {
    dataDir: options.dataDir,
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    logLevel: options.logger.level,
    bindings: options.logger.bindings(),
  };
  // Loaders given on the command line (e.g. --import tsx) are passed on; the entry registers tsx itself too.
  const worker = new Worker(ENTRY, { workerData });
  let closing = false;
  let closed: (() => void) | undefined;

  return new Promise<EmbeddedServer>((resolve, reject) => {
    let started = false;
    worker.on('message', (message: FromThread) => {
      if (message.type === 'listening') {
        started = true;
        resolve({
          host: message.host,
          port: message.port,
          url: message.url,
          close: () => {
            if (closing) return Promise.resolve();
            closing = true;
            return new Promise<void>((done) => {
              closed = done;
              worker.postMessage({ type: 'close' } satisfies ToThread);
            });
          },
        });
      } else if (message.type === 'failed') {
        const error = new Error(message.message);
        if (message.stack !== undefined) error.stack = message.stack;
        reject(error);
        void worker.terminate();
      } else {
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      if (!started) reject(error);
      else if (!closing) options.onUnexpectedExit?.(error);
    });
    worker.on('exit', (code) => {
      closed?.();
      if (!started)
        reject(new Error(`the embedded database thread exited with code ${code} before it started`));
      else if (!closing) {
        options.onUnexpectedExit?.(new Error(`the embedded database thread exited with code ${code}`));
      }
    });
  });
}
