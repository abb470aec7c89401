/**
 * A document's stored content: an append-only log of Yjs updates, with a per-document sequence, compacted
 * from time to time into one snapshot.
 *
 * Crash safety rests on two orders:
 * - append: the updates are inserted in one `insertMany` under the next sequence numbers; the unique index
 *   on (documentId, seq) makes a number final, so two writers never share one (the loser retries).
 * - compaction: the snapshot (one record, replaced whole) is written first and says which sequence it
 *   covers; only then are the covered log entries deleted. A crash in between leaves entries the snapshot
 *   already holds, which loading skips by sequence number.
 * Compaction loads the history into a `Y.Doc` and encodes its state: never `Y.mergeUpdates` over a long
 * history, whose cost grows far faster than the history.
 */
import { Types, type Connection } from 'mongoose';
import * as Y from 'yjs';
import { bytesOf, toBuffer } from './bytes.js';
import { documentModels } from './models-on.js';
import { insertOrdered, type InsertCommand } from '../insert-commands.js';
import { DUPLICATE_KEY } from '../mongo-errors.js';

export interface UpdateToStore {
  update: Uint8Array;
  userId: string | null;
}

export interface AppendResult {
  /** The sequence number of the last update written (0 when nothing was written). */
  lastSeq: number;
}

/** The stored content could not be read back into a Y.Doc: the document must not be written over. */
export class DocumentLoadError extends Error {
  constructor(
    readonly documentId: string,
    cause: unknown,
  ) {
    super(
      `document ${documentId} could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  }
}

/** The highest sequence number a document has used (in its log or folded into its snapshot); 0 if none. */
export async function lastStoredSeq(conn: Connection, documentId: string): Promise<number> {
  const { DocumentSnapshot, DocumentUpdate } = documentModels(conn);
  const [last, snapshot] = await Promise.all([
    DocumentUpdate.findOne({ documentId }, { seq: 1, _id: 0 }).sort({ seq: -1 }).lean(),
    DocumentSnapshot.findById(documentId, { throughSeq: 1 }).lean(),
  ]);
  return Math.max(last?.seq ?? 0, snapshot?.throughSeq ?? 0);
}

export interface AppendOptions {
  at?: Date;
  /**
   * The last sequence number the caller knows is used (a loaded room knows it): saves a read. When another
   * writer took it meanwhile, the unique index refuses the insert and the append retries after a fresh read.
   */
  afterSeq?: number;
  /** How the insert commands are sent (e.g. `DbHandle.inserts.command`); default: the connection's own client. */
  via?: InsertCommand;
}

/**
 * Appends updates to a document's log, in order, with plain `insert` commands (see insert-commands.ts): one
 * write, so one disk sync, unless the batch is over 4 MB.
 */
export async function appendDocumentUpdates(
  conn: Connection,
  documentId: string,
  updates: UpdateToStore[],
  options: AppendOptions = {},
): Promise<AppendResult> {
  if (updates.length === 0) return { lastSeq: options.afterSeq ?? 0 };
  const { DocumentUpdate } = documentModels(conn);
  const at = options.at ?? new Date();
  let after = options.afterSeq ?? (await lastStoredSeq(conn, documentId));
  for (let attempt = 1; ; attempt++) {
    const docs = updates.map((u, i) => ({
      _id: new Types.ObjectId(),
      documentId,
      seq: after + 1 + i,
      update: toBuffer(u.update),
      userId: u.userId,
      at,
    }));
    const refused = await insertOrdered(
      options.via ?? conn,
      DocumentUpdate.collection.collectionName,
      docs,
      (d) =>
        // The update's bytes, the document id and user id as UTF-8, and the fields' names and types.
        d.update.length + 3 * (documentId.length + (d.userId?.length ?? 0)) + 128,
    );
    if (refused === null) return { lastSeq: after + updates.length };
    // A partly inserted batch is inserted again whole under new numbers: replaying a Yjs update twice is
    // harmless, losing one is not.
    if (refused.code !== DUPLICATE_KEY || attempt >= 5) {
      throw new Error(`could not store the document's updates: ${refused.errmsg ?? `error ${refused.code}`}`);
    }
    after = await lastStoredSeq(conn, documentId);
  }
}

export interface StoredDocument {
  doc: Y.Doc;
  /** The highest sequence number the loaded state includes (0 for a document never written). */
  throughSeq: number;
  /** Log entries after the snapshot: how much compaction would remove. */
  logEntries: number;
  /** Bytes stored (snapshot plus log): what the document size limit is checked against. */
  storedBytes: number;
}

/**
 * Loads a document's snapshot and its later log into a fresh Y.Doc. Throws DocumentLoadError when any stored
 * part cannot be applied (the caller must then refuse the document rather than write over it).
 */
export async function loadStoredDocument(
  conn: Connection,
  documentId: string,
  options: { gc?: boolean } = {},
): Promise<StoredDocument> {
  const { DocumentSnapshot, DocumentUpdate } = documentModels(conn);
  const doc = new Y.Doc({ gc: options.gc ?? true });
  try {
    const snapshot = await DocumentSnapshot.findById(documentId).lean();
    let throughSeq = snapshot?.throughSeq ?? 0;
    let storedBytes = 0;
    let logEntries = 0;
    if (snapshot) {
      const state = bytesOf(snapshot.state);
      Y.applyUpdate(doc, state);
      storedBytes += state.length;
    }
    const cursor = DocumentUpdate.find(
      { documentId, seq: { $gt: throughSeq } },
      { update: 1, seq: 1, _id: 0 },
    )
      .sort({ seq: 1 })
      .lean()
      .cursor({ batchSize: 5000 });
    // One transaction for the whole history: observers and the update event fire once, not per entry.
    const entries: Uint8Array[] = [];
    for await (const entry of cursor) {
      const update = bytesOf(entry.update);
      entries.push(update);
      storedBytes += update.length;
      throughSeq = entry.seq;
      logEntries++;
    }
    doc.transact(() => {
      for (const update of entries) Y.applyUpdate(doc, update);
    });
    return { doc, throughSeq, logEntries, storedBytes };
  } catch (error) {
    doc.destroy();
    throw new DocumentLoadError(documentId, error);
  }
}

/** The document's full state as one Yjs update (the update of an empty document if it was never written). */
export async function loadDocumentState(conn: Connection, documentId: string): Promise<Uint8Array> {
  const { doc } = await loadStoredDocument(conn, documentId);
  try {
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Writes `state` as the document's snapshot covering the log through `throughSeq`, then deletes the covered
 * entries (in this order: see the top of this file). A snapshot never moves backwards.
 */
export async function writeSnapshot(
  conn: Connection,
  documentId: string,
  state: Uint8Array,
  throughSeq: number,
): Promise<void> {
  const { DocumentSnapshot } = documentModels(conn);
  const existing = await DocumentSnapshot.findById(documentId, { throughSeq: 1 }).lean();
  if (existing && existing.throughSeq > throughSeq) return;
  await DocumentSnapshot.replaceOne(
    { _id: documentId },
    {
      _id: documentId,
      state: toBuffer(state),
      throughSeq,
      at: new Date(),
    },
    { upsert: true },
  );
  await documentModels(conn).DocumentUpdate.deleteMany({ documentId, seq: { $lte: throughSeq } });
}

/**
 * Compacts a document that is not loaded anywhere: loads it, writes the snapshot, deletes the covered log.
 * Returns the number of log entries folded in. Refuses (throws) a document that does not load.
 */
export async function compactStoredDocument(conn: Connection, documentId: string): Promise<number> {
  const stored = await loadStoredDocument(conn, documentId);
  try {
    if (stored.logEntries === 0) return 0;
    await writeSnapshot(conn, documentId, Y.encodeStateAsUpdate(stored.doc), stored.throughSeq);
    return stored.logEntries;
  } finally {
    stored.doc.destroy();
  }
}

/** Deletes everything stored for a document (its content, snapshot and versions): used by purges. */
export async function deleteStoredDocument(conn: Connection, documentId: string): Promise<void> {
  const { DocumentSnapshot, DocumentUpdate, DocumentVersion } = documentModels(conn);
  await DocumentUpdate.deleteMany({ documentId });
  await DocumentVersion.deleteMany({ documentId });
  await DocumentSnapshot.deleteOne({ _id: documentId });
}
