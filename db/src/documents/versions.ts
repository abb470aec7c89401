/**
 * Saved versions of a document: each holds the full Yjs state at that moment (so opening one never replays
 * history), who made it, and who edited since the version before. Automatic versions are made by the sync
 * room (after a pause in editing, and at least hourly while edited); named ones on request.
 */
import {
  encodeVersionCursor,
  versionPageQuerySchema,
  type DocumentVersionKind,
  type DocumentVersionPage,
  type DocumentVersionSummary,
  type VersionPageRequest,
} from '@cope/domain';
import { isValidObjectId, Types, type Connection } from 'mongoose';
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

/** A page request that does not hold: a cursor not from a previous page, or a limit out of range. */
export class InvalidVersionPageError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`Invalid ${field}: ${detail}`);
    this.name = 'InvalidVersionPageError';
  }
}

/**
 * A page of a document's versions, newest first, without their content: the `limit` newest older than the
 * `before` cursor (the newest ones without it). Ordered by (createdAt, _id), both descending, which the
 * model's index serves; the cursor names that position exactly.
 */
export async function listVersions(
  conn: Connection,
  documentId: string,
  page: VersionPageRequest = {},
): Promise<DocumentVersionPage> {
  const parsed = versionPageQuerySchema.safeParse(page);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidVersionPageError(String(issue?.path[0] ?? 'page'), issue?.message ?? 'invalid');
  }
  const { before, limit } = parsed.data;
  const { DocumentVersion } = documentModels(conn);
  const filter = before
    ? {
        documentId,
        $or: [
          { createdAt: { $lt: before.createdAt } },
          { createdAt: before.createdAt, _id: { $lt: new Types.ObjectId(before.id) } },
        ],
      }
    : { documentId };
  // One more than asked tells whether an older page exists without counting.
  const found = await DocumentVersion.find(filter, { state: 0 })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit + 1)
    .lean();
  const shown = found.slice(0, limit);
  const last = shown.at(-1);
  return {
    versions: shown.map(summaryOf),
    next:
      found.length > limit && last
        ? encodeVersionCursor({ createdAt: last.createdAt, id: last._id.toHexString() })
        : null,
  };
}

/** When the document's latest version was made (null if it has none). */
export async function latestVersionAt(conn: Connection, documentId: string): Promise<Date | null> {
  const { DocumentVersion } = documentModels(conn);
  const latest = await DocumentVersion.findOne({ documentId }, { createdAt: 1 })
    .sort({ createdAt: -1, _id: -1 })
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
