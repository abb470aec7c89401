/**
 * A server process for the crash test: the same createServer, sync endpoint and persistence as the real
 * entry point, with the test authoriser instead of sessions and spaces. Prints `listening <port>` when ready.
 * Run: node --import tsx realtime/test/sync-crash-server.ts <dataDir>
 */
import { connectDb, ensureIndexes } from '@cope/db';
import path from 'node:path';
import { createServer } from '../src/app.js';
import type { Config } from '../src/env.js';
import { silentLogger } from './helpers.js';
import { testAuthorizer } from './sync-support.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: sync-crash-server.ts <dataDir>');
const db = await connectDb({ dataDir, logger: silentLogger });
await ensureIndexes(db.connection);
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
const server = createServer({ config, logger: silentLogger, db, authorizeSync: testAuthorizer });
const address = await server.listen(0, '127.0.0.1');
config.origin = `http://127.0.0.1:${address.port}`;
process.stdout.write(`listening ${address.port}\n`);
