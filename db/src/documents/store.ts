/**
 * A document's stored content: an append-only log of Yjs updates, with a per-document sequence, compacted
 * from time to time into one snapshot.
 *
 * Crash safety rests on two orders:
 * - append: a sequence range is reserved first (`$inc` on the document's head), then the updates are
 *   inserted in one `insertMany`; a crash in between leaves a gap in the sequence, which loading ignores.
 * - compaction: the snapshot (one record, replaced whole) is written first and says which sequence it
 *   covers; only then are the covered log entries deleted. A crash in between leaves entries the snapshot
 *   already holds, which loading skips by sequence number.
 * Compaction loads the history into a `Y.Doc` and encodes its state: never `Y.mergeUpdates` over a long
 * history, whose cost grows far faster than the history.
 */
import type { Connection } from 'mongoose';
import * as Y from 'yjs';
import { bytesOf, toBuffer } from './bytes.js';
import { documentModels } from './models-on.js';

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

/** Appends updates to a document's log, in order, with one sequence reservation and one insert. */
export async function appendDocumentUpdates(
  conn: Connection,
  documentId: string,
  updates: UpdateToStore[],
  at: Date = new Date(),
): Promise<AppendResult> {
  if (updates.length === 0) return { lastSeq: 0 };
  const { DocumentHead, DocumentUpdate } = documentModels(conn);
  const head = await DocumentHead.findOneAndUpdate(
    { _id: documentId },
    { $inc: { seq: updates.length } },
    { upsert: true, returnDocument: 'after', lean: true },
  );
  if (head === null) throw new Error(`no sequence reserved for document ${documentId}`);
  const lastSeq = head.seq;
  const firstSeq = lastSeq - updates.length + 1;
  await DocumentUpdate.insertMany(
    updates.map((u, i) => ({
      documentId,
      seq: firstSeq + i,
      update: toBuffer(u.update),
      userId: u.userId,
      at,
    })),
    { ordered: true, lean: true },
  );
  return { lastSeq };
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
  const { DocumentSnapshot, DocumentUpdate } = documentModels(conn);
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
  await DocumentUpdate.deleteMany({ documentId, seq: { $lte: throughSeq } });
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

/** Deletes everything stored for a document (its content, snapshot, head and versions): used by purges. */
export async function deleteStoredDocument(conn: Connection, documentId: string): Promise<void> {
  const { DocumentSnapshot, DocumentUpdate, DocumentHead, DocumentVersion } = documentModels(conn);
  await DocumentUpdate.deleteMany({ documentId });
  await DocumentVersion.deleteMany({ documentId });
  await DocumentSnapshot.deleteOne({ _id: documentId });
  await DocumentHead.deleteOne({ _id: documentId });
}
