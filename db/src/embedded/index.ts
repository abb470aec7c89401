/**
 * The embedded MongoDB-compatible server: the storage engine in `./engine` behind the wire protocol in
 * `./wire`, listening on loopback by default.
 *
 *   const server = await startEmbeddedServer({ dataDir: './data/db' });
 *   const client = await MongoClient.connect(server.url);
 */
import type { Logger } from 'pino';
import { openEngine } from './engine/index';
import { DEFAULT_CURSOR_TIMEOUT_MS } from './wire/constants';
import { WireServer } from './server';
import { createLogger } from '../logger';

export interface EmbeddedServerOptions {
  dataDir: string;
  /** 0 = any free port; default 0. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  logger?: Logger;
  ttlIntervalMs?: number;
  /** Write-ahead log checkpoints from a thread of their own, this often (ms); default 250, 0 = SQLite's own. */
  checkpointIntervalMs?: number;
  /** Idle cursors are removed after this long; default 10 minutes. */
  cursorTimeoutMs?: number;
}

export interface EmbeddedServer {
  readonly host: string;
  readonly port: number;
  /** `mongodb://127.0.0.1:PORT` */
  readonly url: string;
  close(): Promise<void>;
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid port ${port}`);
  const logger = options.logger ?? createLogger('embedded-db');
  const engine = openEngine({
    dataDir: options.dataDir,
    ...(options.ttlIntervalMs !== undefined ? { ttlIntervalMs: options.ttlIntervalMs } : {}),
    checkpointIntervalMs: options.checkpointIntervalMs ?? 250,
  });
  const server = new WireServer({
    engine,
    logger,
    host,
    port,
    cursorTimeoutMs: options.cursorTimeoutMs ?? DEFAULT_CURSOR_TIMEOUT_MS,
  });
  try {
    await server.listen();
  } catch (error) {
    engine.close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `mongodb://${urlHost}:${server.port}`;
  logger.info({ url, dataDir: options.dataDir }, 'embedded database server listening');
  return {
    host,
    port: server.port,
    url,
    close: () => server.close(),
  };
}
