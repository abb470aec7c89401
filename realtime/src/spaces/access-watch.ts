/**
 * Keeps open sync connections in step with space access: on every access change (member removed, role
 * changed, left, archived, restored, documents trashed) the affected connections of that space are
 * re-checked at once; those that lost read access close with 4403, the others become read-only or
 * writable again. The re-check is a few indexed reads, so it ends well within the second the product
 * promises.
 */
import { CLOSE_CODES, type Actor } from '@cope/domain';
import { concerns, onSpaceAccessChange, type SpaceAccessChange } from '@cope/db';
import type { DbHandle } from '@cope/db';
import type { Logger } from 'pino';
import { currentActor, decideDocumentAccess, type SyncDocumentDecision } from './document-access.js';

type Connection = DbHandle['connection'];

/** One open sync connection, as the sync endpoint lists them per space. */
export interface LiveSyncConnection {
  documentId: string;
  principal?: { userId: string };
  readOnly: boolean;
  close(code: number, reason: string): void;
  setReadOnly(readOnly: boolean): void;
}

export interface SpaceConnections {
  connectionsInSpace(spaceId: string): LiveSyncConnection[];
}

/** Re-checks one space's affected connections; resolves when every one is closed or adjusted. */
export async function recheckSpace(
  conn: Connection,
  sync: SpaceConnections,
  change: SpaceAccessChange,
): Promise<void> {
  const actors = new Map<string, Promise<Actor | null>>();
  const actorOf = (userId: string) => {
    let actor = actors.get(userId);
    if (actor === undefined) {
      actor = currentActor(conn, userId);
      actors.set(userId, actor);
    }
    return actor;
  };
  // One decision per person and document, however many tabs they have open on it.
  const decisions = new Map<string, Promise<SyncDocumentDecision | null>>();
  const decide = (userId: string, documentId: string) => {
    const key = `${userId}/${documentId}`;
    let decision = decisions.get(key);
    if (decision === undefined) {
      decision = actorOf(userId).then((actor) =>
        actor === null ? null : decideDocumentAccess(conn, actor, documentId),
      );
      decisions.set(key, decision);
    }
    return decision;
  };
  const affected = sync
    .connectionsInSpace(change.spaceId)
    .filter((c) => c.principal === undefined || concerns(change, c.principal.userId));
  await Promise.all(
    affected.map(async (c) => {
      const decision = c.principal === undefined ? null : await decide(c.principal.userId, c.documentId);
      if (decision === null || !decision.allowed) {
        c.close(CLOSE_CODES.forbidden, 'access revoked');
      } else if (decision.readOnly !== c.readOnly) {
        c.setReadOnly(decision.readOnly);
      }
    }),
  );
}

/** Subscribes to the access bus; returns the function that stops watching. */
export function watchSpaceAccess(conn: Connection, sync: SpaceConnections, logger: Logger): () => void {
  return onSpaceAccessChange((change) => {
    recheckSpace(conn, sync, change).catch((error: unknown) => {
      logger.error({ err: error, spaceId: change.spaceId }, 'spaces: re-checking sync connections failed');
    });
  });
}
