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

/** Sends one ordered `insert` command and gives its answer's refusals (the connection's own, or a thread's). */
export type InsertCommand = (
  collection: string,
  documents: object[],
) => Promise<{ writeErrors?: InsertRefusal[] }>;

/** The `insert` command sent on a mongoose connection's own client. */
export function insertCommandOn(conn: Connection): InsertCommand {
  return async (collection, documents) => {
    const db = conn.db;
    if (db === undefined)
      throw new Error(`could not insert into ${collection}: the database is not connected`);
    const reply: { writeErrors?: InsertRefusal[] } = await db.command({
      insert: collection,
      documents,
      ordered: true,
    });
    return reply;
  };
}

/**
 * Inserts `docs` in order, stopping at the first one refused; returns that refusal (the documents before it
 * are stored), or null when every document went in. `estimate` is an upper bound of a document's BSON size.
 * The commands go through `via` (by default the connection's own client).
 */
export async function insertOrdered<T extends object>(
  via: Connection | InsertCommand,
  collection: string,
  docs: T[],
  estimate: (doc: T) => number,
): Promise<InsertRefusal | null> {
  const send = typeof via === 'function' ? via : insertCommandOn(via);
  for (let start = 0; start < docs.length;) {
    let end = start;
    let bytes = 0;
    while (end < docs.length && (end === start || bytes < COMMAND_BYTES_BUDGET)) {
      bytes += estimate(docs[end] as T);
      end++;
    }
    const reply = await send(collection, docs.slice(start, end));
    const refused = reply.writeErrors?.[0];
    if (refused !== undefined) return { ...refused, index: start + refused.index };
    start = end;
  }
  return null;
}
