/**
 * Ordered inserts as plain `insert` commands. The driver's `insertMany` goes through its bulk-write layer, which
 * measures every document's BSON size before serialising it again; for the hot write paths (channel messages,
 * document updates) that measuring was a third of the cost of storing. Commands are cut by an estimate of
 * their size, far below MongoDB's 16 MB limit on a command.
 */
import type { Connection } from 'mongoose';

/** A document an `insert` command refused. */
export interface InsertRefusal {
  /** Its position in the documents given to `insertOrdered`. */
  index: number;
  code: number;
  errmsg?: string;
}

/** The most an `insert` command carries, by the caller's estimate. */
export const COMMAND_BYTES_BUDGET = 4 * 1024 * 1024;

/**
 * Inserts `docs` in order, stopping at the first one refused; returns that refusal (the documents before it
 * are stored), or null when every document went in. `estimate` is an upper bound of a document's BSON size.
 */
export async function insertOrdered<T extends object>(
  conn: Connection,
  collection: string,
  docs: T[],
  estimate: (doc: T) => number,
): Promise<InsertRefusal | null> {
  const db = conn.db;
  if (db === undefined) throw new Error(`could not insert into ${collection}: the database is not connected`);
  for (let start = 0; start < docs.length;) {
    let end = start;
    let bytes = 0;
    while (end < docs.length && (end === start || bytes < COMMAND_BYTES_BUDGET)) {
      bytes += estimate(docs[end] as T);
      end++;
    }
    const reply = (await db.command({
      insert: collection,
      documents: docs.slice(start, end),
      ordered: true,
    })) as {
      writeErrors?: InsertRefusal[];
    };
    const refused = reply.writeErrors?.[0];
    if (refused !== undefined) return { ...refused, index: start + refused.index };
    start = end;
  }
  return null;
}
