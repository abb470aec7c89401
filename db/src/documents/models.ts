/**
 * Where a document's content lives. A document's Yjs state is its snapshot (if any) plus the updates logged
 * after it, in sequence order. See ./store.ts for how they are written and compacted.
 */
import { Schema } from 'mongoose';

/** One stored Yjs update. `seq` orders a document's updates; the unique index makes a sequence number final. */
export const documentUpdateSchema = new Schema(
  {
    documentId: { type: String, required: true },
    seq: { type: Number, required: true },
    update: { type: Buffer, required: true },
    /** Who sent it (null for content the server wrote itself, such as a template). */
    userId: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'document_updates', versionKey: false, strict: 'throw' },
);
documentUpdateSchema.index({ documentId: 1, seq: 1 }, { unique: true });

/**
 * The compacted state of a document: every logged update with `seq <= throughSeq` is in `state`.
 * One record per document, replaced whole, so a snapshot is never half written.
 */
export const documentSnapshotSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: Buffer, required: true },
    throughSeq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'document_snapshots', versionKey: false, strict: 'throw' },
);

/** A saved version of a document: its full state at that moment, automatic or named. */
export const documentVersionSchema = new Schema(
  {
    documentId: { type: String, required: true },
    kind: { type: String, required: true, enum: ['auto', 'named'] },
    name: { type: String, default: null, maxlength: 200 },
    state: { type: Buffer, required: true },
    /** The people who edited since the previous version. */
    editors: { type: [String], default: [] },
    createdBy: { type: String, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'document_versions', versionKey: false, strict: 'throw' },
);
// Serves the version list's pages (newest first, ties in the same millisecond broken by id) and the latest.
documentVersionSchema.index({ documentId: 1, createdAt: -1, _id: -1 });
