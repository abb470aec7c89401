/**
 * Test helpers: a real server on port 0 with a real embedded database in a temp folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDb, type DbHandle } from '@cope/db';
import { pino } from 'pino';
import { createServer, type RunningServer } from '../src/app.js';
import type { Config } from '../src/env.js';
import type { SyncAuthorizer } from '../src/sync/endpoint.js';

export interface TestServer {
  server: RunningServer;
  db: DbHandle;
  origin: string;
  httpUrl: string;
  wsUrl: string;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

export async function startTestServer(options: { authorizeSync?: SyncAuthorizer } = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-realtime-'));
  const db = await connectDb({ dataDir, logger: silentLogger, mongodbUrl: process.env.MONGODB_URL });
  // The origin is only known after listening; the server reads it from this object at request time.
  const config: Config = {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    origin: 'http://127.0.0.1',
    dataDir,
    mongodbUrl: undefined,
    logLevel: 'silent',
    trustProxy: false,
    webBuildDir: path.join(dataDir, 'no-web-build'),
    smtpUrl: undefined,
    mailFrom: undefined,
  };
  const server = createServer({ config, logger: silentLogger, db, authorizeSync: options.authorizeSync });
  const address = await server.listen(0, '127.0.0.1');
  config.origin = `http://127.0.0.1:${address.port}`;
  return {
    server,
    db,
    origin: config.origin,
    httpUrl: config.origin,
    wsUrl: `ws://127.0.0.1:${address.port}`,
    close: async () => {
      await server.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `predicate` holds, polling; fails after `timeoutMs` with `what` in the message. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
