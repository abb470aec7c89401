/**
 * Who opened and who edited what, and when: the sync server reports edits (after storing them), pages report
 * opens; the signed-in home reads both.
 */
import type { Actor } from '@cope/domain';
import type { Connection, Types } from 'mongoose';
import { models } from '../models/index.js';
import { documentAccessOf, objectIdOrNull } from './access.js';
import { ok, refuse, type SpaceResult } from './result.js';

/**
 * Records that people edited a document at `at` (called by the sync server after a group commit). The last
 * of `userIds` is shown as the last editor. Older reports never move the date back.
 */
export async function markDocumentEdited(
  conn: Connection,
  documentId: string,
  userIds: readonly string[],
  at: Date,
): Promise<void> {
  const id = objectIdOrNull(documentId);
  if (id === null) return;
  const editor =
    [...userIds]
      .reverse()
      .map(objectIdOrNull)
      .find((u): u is Types.ObjectId => u !== null) ?? null;
  await models(conn).DocumentNode.updateOne(
    { _id: id, type: 'document', $or: [{ lastEditedAt: null }, { lastEditedAt: { $lte: at } }] },
    { $set: { lastEditedAt: at, lastEditedBy: editor, updatedAt: at } },
  );
}

/** Records that the person opened the document now (if they may read it). */
export async function recordDocumentOpened(
  conn: Connection,
  actor: Actor,
  documentId: string,
  at: Date = new Date(),
): Promise<SpaceResult<{ openedAt: Date }>> {
  const access = await documentAccessOf(conn, actor.userId, documentId);
  if (access === null || actor.disabled) return refuse('not-found');
  await models(conn).DocumentOpen.updateOne(
    { userId: actor.userId, documentId: access.documentId },
    { $set: { spaceId: access.spaceId, openedAt: at } },
    { upsert: true },
  );
  return ok({ openedAt: at });
}
