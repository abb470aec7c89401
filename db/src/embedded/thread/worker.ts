/**
 * Runs the embedded server inside a worker thread: SQLite commits with an fsync each (`synchronous=FULL`),
 * and better-sqlite3 is synchronous, so on the process's main thread every durable write would stall every
 * socket the process serves. Here only this thread waits for the disk; the main thread talks to it over
 * loopback TCP, exactly as it would to a MongoDB server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { startEmbeddedServer, type EmbeddedServer } from '../index';
import type { FromThread, ThreadOptions, ToThread } from './messages';

const options = workerData as ThreadOptions;
const port = parentPort;
if (port === null) throw new Error('the embedded database thread must run as a worker');

const post = (message: FromThread) => port.postMessage(message);
const logger = pino({ level: options.logLevel }).child(options.bindings);

let server: EmbeddedServer | undefined;
try {
  server = await startEmbeddedServer({
    dataDir: options.dataDir,
    port: options.port,
    host: options.host,
    logger,
  });
  post({ type: 'listening', host: server.host, port: server.port, url: server.url });
} catch (error) {
  const failure = error instanceof Error ? error : new Error(String(error));
  post({ type: 'failed', message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) });
}

port.on('message', (message: ToThread) => {
  if (message.type !== 'close') return;
  const closing = server?.close() ?? Promise.resolve();
  closing
    .catch((error: unknown) => logger.error({ err: error }, 'closing the embedded database failed'))
    .finally(() => {
      post({ type: 'closed' });
      port.close();
    });
});
