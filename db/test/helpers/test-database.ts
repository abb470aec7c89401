/**
 * A database for one test file: the embedded server on a fresh temp folder, or, when `MONGODB_URL` is set,
 * a real MongoDB with a database name of its own. The same tests then run unchanged against both, which is
 * how the embedded server is held to what MongoDB does.
 *
 *   const db = await startTestDatabase();
 *   const users = db.client.db(db.dbName).collection('users');
 *   ...
 *   await db.close(); // drops the database (real MongoDB) or stops the server and removes its folder
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  MongoClient,
  type Binary,
  type Decimal128,
  type Document,
  type Double,
  type Int32,
  type Long,
  type ObjectId,
} from 'mongodb';
import { pino } from 'pino';
import { startEmbeddedServer } from '../../src/embedded/index';

export interface TestDatabaseOptions {
  /** How often the embedded server's TTL monitor runs (ms). Ignored against a real MongoDB. */
  ttlIntervalMs?: number;
}

export interface TestDatabase {
  /** Connection string without a database name, e.g. `mongodb://127.0.0.1:40123`. */
  url: string;
  /** A database name unique to this call. */
  dbName: string;
  /** A connected client of the official driver. */
  client: MongoClient;
  /** True when the tests run against the embedded server, false against a real MongoDB. */
  embedded: boolean;
  close(): Promise<void>;
}

/** True when `MONGODB_URL` points the tests at a real MongoDB; for the few checks only the embedded server makes. */
export const usingRealMongoDB = (process.env.MONGODB_URL ?? '') !== '';

export async function startTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const dbName = `test_${randomBytes(6).toString('hex')}`;
  const realUrl = process.env.MONGODB_URL;
  if (usingRealMongoDB && realUrl !== undefined) {
    const client = await MongoClient.connect(realUrl);
    return {
      url: realUrl,
      dbName,
      client,
      embedded: false,
      async close() {
        try {
          await client.db(dbName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  }

  const dataDir = await mkdtemp(path.join(tmpdir(), 'cope-db-test-'));
  try {
    const server = await startEmbeddedServer({
      dataDir,
      port: 0,
      host: '127.0.0.1',
      ttlIntervalMs: options.ttlIntervalMs ?? 200,
      // Only warnings and errors, so that test output stays readable; LOG_LEVEL=debug shows everything.
      logger: pino({ name: 'embedded-db', level: process.env.LOG_LEVEL ?? 'warn' }),
    });
    try {
      const client = await MongoClient.connect(server.url);
      return {
        url: server.url,
        dbName,
        client,
        embedded: true,
        async close() {
          try {
            await client.close();
            await server.close();
          } finally {
            await rm(dataDir, { recursive: true, force: true });
          }
        },
      };
    } catch (error) {
      await server.close();
      throw error;
    }
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the last result. */
export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * A schemaless document whose `_id` may be of any BSON type: tests use numbers and strings as `_id`s, which
 * the driver's default `Document` typing (ObjectId `_id`) would refuse.
 */
export interface AnyDoc {
  _id?:
    | ObjectId
    | string
    | number
    | boolean
    | Date
    | Long
    | Int32
    | Double
    | Decimal128
    | Binary
    | Document
    | null;
  [field: string]: unknown;
}
