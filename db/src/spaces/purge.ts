/**
 * The trash keeps things 30 days. A sweep (run by the server every hour) then deletes them for good, with
 * their stored content and their "opened" records. A sweep rather than a TTL index, because a document's
 * stored updates live in another collection and must go with it.
 */
import { TRASH_RETENTION_DAYS } from '@cope/domain';
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';
import { removeDocumentContent } from './content.js';
import type { DocumentNodeRecord } from './models/document-node.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes what has been in the trash longer than the retention; returns how many nodes went. */
export async function purgeTrash(conn: Connection, now: Date = new Date()): Promise<{ purged: number }> {
  const m = models(conn);
  const cutoff = new Date(now.getTime() - TRASH_RETENTION_DAYS * DAY_MS);
  const roots = await m.DocumentNode.find(
    { trashedWith: null, trashedAt: { $lte: cutoff } },
    { _id: 1 },
  ).lean();
  if (roots.length === 0) return { purged: 0 };
  const rootIds = roots.map((r) => r._id);
  const nodes = await m.DocumentNode.find(
    { $or: [{ _id: { $in: rootIds } }, { trashedWith: { $in: rootIds } }] },
    { _id: 1, type: 1 },
  ).lean<Pick<DocumentNodeRecord, '_id' | 'type'>[]>();
  const documentIds = nodes.filter((n) => n.type === 'document').map((n) => n._id);
  // Content first: a crash between the two steps leaves a trashed node without content (purged next time),
  // never content that no node points to.
  for (const id of documentIds) await removeDocumentContent(conn, id.toHexString());
  await m.DocumentOpen.deleteMany({ documentId: { $in: documentIds } });
  const deleted = await m.DocumentNode.deleteMany({ _id: { $in: nodes.map((n) => n._id) } });
  return { purged: deleted.deletedCount };
}
