/**
 * connectDb: mongoose on MONGODB_URL when one is given, otherwise on the embedded server over the data
 * folder. The first process on a folder owns it and runs the server in a worker thread of its own (so that
 * SQLite's synchronous, fsync'd commits never stall the process's sockets); another process on the same folder
 * connects to the owner's server ('embedded-shared') and never opens the SQLite files itself.
 */
import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import type { EmbeddedServer } from './embedded/index';
import { acquireDataDirLock, readOwnerAddress } from './embedded/lock';
import { startEmbeddedServerThread } from './embedded/thread/index';
import { InsertThread } from './documents/insert-thread';

export interface DbHandle {
  /** From mongoose.createConnection(), not the global default connection. */
  readonly connection: Connection;
  /** Without credentials, safe to log. */
  readonly url: string;
  readonly mode: 'external' | 'embedded' | 'embedded-shared';
  /** The update log's inserts from a thread of their own (see documents/insert-thread.ts); closed with the handle. */
  readonly inserts: InsertThread;
  /** True when the database answers (used by GET /readyz). */
  ping(): Promise<boolean>;
  /** Closes the connection, then the embedded server if this process owns it. */
  close(): Promise<void>;
}

export interface ConnectDbOptions {
  mongodbUrl?: string;
  dataDir: string;
  /** Default: the database named in `mongodbUrl` if it names one, otherwise 'cope'. */
  dbName?: string;
  logger: Logger;
  /**
   * Called if the embedded database's thread stops while the process runs (the database is then gone; the
   * host process should exit so that it is restarted). Default: a fatal log line.
   */
  onEmbeddedDatabaseLost?: (error: Error) => void;
}

const PING_TIMEOUT_MS = 2000;
const DEFAULT_DB_NAME = 'cope';

/** The database named in the path of a MongoDB URL (`mongodb://host/<db>?…`), if any. */
export function databaseNameInUrl(url: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]+)/.exec(url);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** The URL with any user:password removed. */
export function redactUrl(url: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/)[^@/]*@/, '$1');
}

function handle(
  connection: Connection,
  url: string,
  mode: DbHandle['mode'],
  onClose: () => Promise<void>,
  /** The URL with its credentials, for the insert thread's own client. */
  clientUrl: string,
  logger: Logger,
): DbHandle {
  let closing: Promise<void> | undefined;
  const inserts = new InsertThread(clientUrl, connection.name, logger.child({ component: 'insert-thread' }));
  return {
    connection,
    url,
    mode,
    inserts,
    async ping() {
      const db = connection.db;
      if (db === undefined || connection.readyState !== mongoose.ConnectionStates.connected) return false;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
      });
      try {
        const answer = db
          .command({ ping: 1 })
          .then((reply) => reply.ok === 1)
          .catch(() => false);
        return await Promise.race([answer, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        try {
          await inserts.close();
          await connection.close();
        } finally {
          await onClose();
        }
      })();
      return closing;
    },
  };
}

export async function connectDb(options: ConnectDbOptions): Promise<DbHandle> {
  const { logger } = options;
  const dbName = options.dbName ?? DEFAULT_DB_NAME;

  if (options.mongodbUrl !== undefined && options.mongodbUrl !== '') {
    const url = redactUrl(options.mongodbUrl);
    // A database named in MONGODB_URL is honoured unless the caller asks for another one.
    const externalDbName = options.dbName ?? databaseNameInUrl(options.mongodbUrl) ?? DEFAULT_DB_NAME;
    logger.info({ url, dbName: externalDbName }, `using MongoDB at ${url}`);
    const connection = await mongoose
      .createConnection(options.mongodbUrl, { dbName: externalDbName })
      .asPromise();
    return handle(connection, url, 'external', async () => {}, options.mongodbUrl, logger);
  }

  const outcome = await acquireDataDirLock(options.dataDir);
  if (outcome.kind === 'held') {
    const owner = await readOwnerAddress(options.dataDir);
    if (owner === undefined) {
      throw new Error(
        `data folder ${options.dataDir} is in use by process ${outcome.pid}, which does not publish a database address; stop it or use another DATA_DIR`,
      );
    }
    logger.info(
      { url: owner.url, ownerPid: owner.pid, dataDir: options.dataDir },
      `using the embedded database of process ${owner.pid} at ${owner.url}`,
    );
    try {
      const connection = await mongoose
        .createConnection(owner.url, { dbName, serverSelectionTimeoutMS: 5000 })
        .asPromise();
      return handle(connection, owner.url, 'embedded-shared', async () => {}, owner.url, logger);
    } catch (error) {
      throw new Error(
        `data folder ${options.dataDir} is owned by process ${owner.pid}, but its database at ${owner.url} does not answer: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  const { lock } = outcome;
  let server: EmbeddedServer | undefined;
  try {
    const dbLogger = logger.child({ component: 'embedded-db' });
    server = await startEmbeddedServerThread({
      dataDir: lock.dataDir,
      port: 0,
      logger: dbLogger,
      onUnexpectedExit:
        options.onEmbeddedDatabaseLost ??
        ((error) => dbLogger.fatal({ err: error }, 'the embedded database stopped')),
    });
    await lock.publishAddress(server.url);
    logger.info(
      { url: server.url, dataDir: lock.dataDir },
      `using the embedded database at ${server.url} (data in ${lock.dataDir})`,
    );
    const connection = await mongoose.createConnection(server.url, { dbName }).asPromise();
    const owned = server;
    return handle(
      connection,
      server.url,
      'embedded',
      async () => {
        try {
          await owned.close();
        } finally {
          await lock.release();
        }
      },
      server.url,
      logger,
    );
  } catch (error) {
    try {
      await server?.close();
    } finally {
      await lock.release();
    }
    throw error;
  }
}
