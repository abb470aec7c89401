/** A mongoose connection to a fresh test database (the embedded server, or MONGODB_URL), with the indexes built. */
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { ensureIndexes } from '../../src/models/index';
import { startTestDatabase } from './index';
import type { TestDatabase, TestDatabaseOptions } from './index';

export interface MongooseTestDatabase {
  conn: Connection;
  db: TestDatabase;
  close(): Promise<void>;
}

export async function startMongooseDatabase(
  options: TestDatabaseOptions = {},
): Promise<MongooseTestDatabase> {
  const db = await startTestDatabase(options);
  try {
    const conn = await mongoose.createConnection(db.url, { dbName: db.dbName, autoIndex: false }).asPromise();
    await ensureIndexes(conn);
    return {
      conn,
      db,
      async close() {
        try {
          await conn.close();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * A clock tests move by hand. It starts at the real time (or later) because the database's TTL monitor runs on
 * real time: a document whose expiry is already in the real past would vanish under the test.
 */
export function manualClock(start = Date.now()): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
