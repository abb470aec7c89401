/**
 * Saved versions of a document: each holds the full Yjs state at that moment (so opening one never replays
 * history), who made it, and who edited since the version before. Automatic versions are made by the sync
 * room (after a pause in editing, and at least hourly while edited); named ones on request.
 */
import type { DocumentVersionKind, DocumentVersionSummary } from '@cope/domain';
import { isValidObjectId, type Connection } from 'mongoose';
import { bytesOf, toBuffer } from './bytes.js';
import { documentModels } from './models-on.js';

export interface NewVersion {
  documentId: string;
  kind: DocumentVersionKind;
  name?: string | null;
  state: Uint8Array;
  editors: string[];
  createdBy: string | null;
  at?: Date;
}

interface VersionRecord {
  _id: { toHexString(): string };
  kind: string;
  name?: string | null;
  createdAt: Date;
  createdBy?: string | null;
  editors?: string[];
}

function summaryOf(v: VersionRecord): DocumentVersionSummary {
  return {
    id: v._id.toHexString(),
    kind: v.kind as DocumentVersionKind,
    name: v.name ?? null,
    createdAt: v.createdAt.toISOString(),
    createdBy: v.createdBy ?? null,
    editors: v.editors ?? [],
  };
}

export async function createVersion(conn: Connection, version: NewVersion): Promise<DocumentVersionSummary> {
  const { DocumentVersion } = documentModels(conn);
  const created = await DocumentVersion.create({
    documentId: version.documentId,
    kind: version.kind,
    name: version.name ?? null,
    state: toBuffer(version.state),
    editors: version.editors,
    createdBy: version.createdBy,
    createdAt: version.at ?? new Date(),
  });
  return summaryOf(created);
}

/** A document's versions, newest first, without their content. */
export async function listVersions(conn: Connection, documentId: string): Promise<DocumentVersionSummary[]> {
  const { DocumentVersion } = documentModels(conn);
  const versions = await DocumentVersion.find({ documentId }, { state: 0 }).sort({ createdAt: -1 }).lean();
  return versions.map(summaryOf);
}

/** When the document's latest version was made (null if it has none). */
export async function latestVersionAt(conn: Connection, documentId: string): Promise<Date | null> {
  const { DocumentVersion } = documentModels(conn);
  const latest = await DocumentVersion.findOne({ documentId }, { createdAt: 1 })
    .sort({ createdAt: -1 })
    .lean();
  return latest?.createdAt ?? null;
}

/** One version's content as a full Yjs update, or null when the document has no such version. */
export async function versionState(
  conn: Connection,
  documentId: string,
  versionId: string,
): Promise<{ version: DocumentVersionSummary; state: Uint8Array } | null> {
  if (!isValidObjectId(versionId) || !/^[0-9a-f]{24}$/i.test(versionId)) return null;
  const { DocumentVersion } = documentModels(conn);
  const found = await DocumentVersion.findOne({ _id: versionId, documentId }).lean();
  if (found === null) return null;
  return { version: summaryOf(found), state: bytesOf(found.state) };
}
