/**
 * The loaded rooms of the process: loading a document once however many connect at the same moment,
 * keeping it while anyone (a connection or a service call) holds it, and unloading it a grace period after the
 * last one let go (after storing everything, compacting and making the pending automatic version).
 *
 * Also what happens after each group commit: compaction once the log has grown past a threshold, automatic
 * versions (after a pause in editing and at least hourly while edited) and `onDocumentEdited`, which is told
 * at most once per `editedReportMs` per document (at once, then what came since when that time is up, and
 * on unload): it writes the document's "last edited" in its space, which needs no 40 ms precision, and a
 * write per group commit was a second database round trip for every commit of a busy document.
 *
 * A document that fails to load gets no room: nothing can write over it. The failure is logged and each
 * connection is refused (4503, `documentUnavailable`); the next attempt tries to load it again.
 */
import { AUTO_VERSION } from '@cope/domain';
import {
  createVersion,
  latestVersionAt,
  loadStoredDocument,
  writeSnapshot,
  type InsertCommand,
} from '@cope/db';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { SyncRoom } from './room.js';

export interface RoomTuning {
  /** How long an unused room stays loaded (a reconnect within it finds the document still in memory). */
  unloadGraceMs: number;
  /** Compact once this many updates were logged after the snapshot. */
  compactEvery: number;
  /** An automatic version after this long without edits… */
  versionPauseMs: number;
  /** …and at least this often while the document is edited. */
  versionMaxIntervalMs: number;
  maxDocumentBytes?: number;
  /** How long an update waits for others to share its write (the store must have it within 100 ms). */
  commitWindowMs: number;
  /** At most one `onDocumentEdited` per document in this time; edits in between are reported together. */
  editedReportMs: number;
}

export const DEFAULT_ROOM_TUNING: RoomTuning = {
  unloadGraceMs: 30_000,
  compactEvery: 1000,
  versionPauseMs: AUTO_VERSION.pauseMs,
  versionMaxIntervalMs: AUTO_VERSION.maxIntervalMs,
  commitWindowMs: 40,
  editedReportMs: 5_000,
};

export type DocumentEditedHook = (documentId: string, userIds: string[], at: Date) => void | Promise<void>;

interface Entry {
  room: SyncRoom;
  holders: number;
  unloadTimer?: NodeJS.Timeout;
  /** Set while unloading: a newcomer waits for it, then loads afresh. */
  unloading?: Promise<void>;
  versions: VersionClock;
  edits: EditReport;
  compacting: boolean;
}

/** Edits not yet reported to `onDocumentEdited`: who (the latest last), until when, and when it last ran. */
interface EditReport {
  userIds: Set<string>;
  at: Date | null;
  lastReportAt: number;
  timer?: NodeJS.Timeout;
}

/** What an automatic version needs to know: who edited since the last one, and when. */
interface VersionClock {
  editors: Set<string>;
  edited: boolean;
  lastVersionAt: number;
  pauseTimer?: NodeJS.Timeout;
}

export class RoomUnavailable extends Error {}

export class RoomRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private closed = false;

  constructor(
    private readonly conn: Connection,
    private readonly logger: Logger,
    private readonly tuning: RoomTuning,
    private readonly onDocumentEdited?: DocumentEditedHook,
    private readonly inserts?: InsertCommand,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The loaded room of a document, if any (without holding it). */
  loaded(documentId: string): SyncRoom | undefined {
    const entry = this.entries.get(documentId);
    return entry && !entry.unloading ? entry.room : undefined;
  }

  /** The loaded rooms. */
  values(): IterableIterator<SyncRoom> {
    return Array.from(this.entries.values(), (e) => e.room)[Symbol.iterator]();
  }

  /** Loads (or finds) the document's room and holds it until `release`. Throws RoomUnavailable. */
  async acquire(documentId: string): Promise<SyncRoom> {
    for (;;) {
      if (this.closed) throw new RoomUnavailable('the server is shutting down');
      const entry = this.entries.get(documentId);
      if (entry?.unloading) {
        await entry.unloading;
        continue;
      }
      if (entry) {
        entry.holders++;
        clearTimeout(entry.unloadTimer);
        entry.unloadTimer = undefined;
        return entry.room;
      }
      let loading = this.loading.get(documentId);
      if (!loading) {
        loading = this.load(documentId).finally(() => this.loading.delete(documentId));
        this.loading.set(documentId, loading);
      }
      await loading;
    }
  }

  release(room: SyncRoom): void {
    const entry = this.entries.get(room.documentId);
    if (!entry || entry.room !== room) return;
    entry.holders--;
    if (entry.holders > 0 || entry.unloading) return;
    clearTimeout(entry.unloadTimer);
    entry.unloadTimer = setTimeout(() => void this.unload(entry), this.tuning.unloadGraceMs);
    entry.unloadTimer.unref();
  }

  private async load(documentId: string): Promise<Entry> {
    let stored;
    try {
      stored = await loadStoredDocument(this.conn, documentId);
    } catch (error) {
      this.logger.error(
        { err: error, documentId },
        'sync: document failed to load; it is refused, not written',
      );
      throw new RoomUnavailable(`document ${documentId} could not be loaded`);
    }
    const lastVersion = await latestVersionAt(this.conn, documentId).catch(() => null);
    const room = new SyncRoom(documentId, stored, {
      conn: this.conn,
      ...(this.inserts ? { inserts: this.inserts } : {}),
      maxDocumentBytes: this.tuning.maxDocumentBytes,
      commitWindowMs: this.tuning.commitWindowMs,
      onCommitted: (r, committed, userIds) => this.afterCommit(r, userIds, committed.at),
      onCommitError: (r, error, attempt) =>
        this.logger.error(
          { err: error, documentId: r.documentId, attempt },
          'sync: storing updates failed; retrying',
        ),
    });
    const entry: Entry = {
      room,
      holders: 0,
      compacting: false,
      versions: { editors: new Set(), edited: false, lastVersionAt: lastVersion?.getTime() ?? Date.now() },
      edits: { userIds: new Set(), at: null, lastReportAt: 0 },
    };
    this.entries.set(documentId, entry);
    return entry;
  }

  private afterCommit(room: SyncRoom, userIds: string[], at: Date): void {
    const entry = this.entries.get(room.documentId);
    if (!entry || entry.room !== room) return;
    if (this.onDocumentEdited && userIds.length > 0) this.noteEdits(entry, userIds, at);
    const clock = entry.versions;
    clock.edited = true;
    for (const id of userIds) clock.editors.add(id);
    clearTimeout(clock.pauseTimer);
    if (at.getTime() - clock.lastVersionAt >= this.tuning.versionMaxIntervalMs) {
      void this.autoVersion(entry);
    } else {
      clock.pauseTimer = setTimeout(() => void this.autoVersion(entry), this.tuning.versionPauseMs);
      clock.pauseTimer.unref();
    }
    if (room.logEntries >= this.tuning.compactEvery) void this.compact(entry);
  }

  /** Reports the edits now if the last report is `editedReportMs` old, else when it will be. */
  private noteEdits(entry: Entry, userIds: string[], at: Date): void {
    const edits = entry.edits;
    for (const id of userIds) {
      // Re-added so that the latest editor comes last (the one shown as "last edited by").
      edits.userIds.delete(id);
      edits.userIds.add(id);
    }
    edits.at = at;
    if (edits.timer !== undefined) return;
    const wait = edits.lastReportAt + this.tuning.editedReportMs - Date.now();
    if (wait <= 0) {
      void this.reportEdits(entry);
      return;
    }
    edits.timer = setTimeout(() => void this.reportEdits(entry), wait);
    edits.timer.unref();
  }

  private async reportEdits(entry: Entry): Promise<void> {
    const edits = entry.edits;
    clearTimeout(edits.timer);
    edits.timer = undefined;
    if (!this.onDocumentEdited || edits.at === null) return;
    const userIds = Array.from(edits.userIds);
    const at = edits.at;
    edits.userIds.clear();
    edits.at = null;
    edits.lastReportAt = Date.now();
    try {
      await this.onDocumentEdited(entry.room.documentId, userIds, at);
    } catch (error) {
      this.logger.warn({ err: error, documentId: entry.room.documentId }, 'sync: onDocumentEdited failed');
    }
  }

  /** Writes the room's state as the snapshot covering everything it has stored, then drops the covered log. */
  private async compact(entry: Entry): Promise<void> {
    if (entry.compacting) return;
    entry.compacting = true;
    const { room } = entry;
    try {
      // The live Y.Doc already holds the whole stored history (and perhaps updates not stored yet, which is
      // harmless: they are logged after `throughSeq` and replay as no-ops).
      const state = Y.encodeStateAsUpdate(room.doc);
      const throughSeq = room.lastSeq;
      const covered = room.logEntries;
      await writeSnapshot(this.conn, room.documentId, state, throughSeq);
      room.logEntries = Math.max(0, room.logEntries - covered);
      room.storedBytes = state.length;
    } catch (error) {
      this.logger.error({ err: error, documentId: room.documentId }, 'sync: compaction failed');
    } finally {
      entry.compacting = false;
    }
  }

  /** An automatic version, if anything was edited since the last one. */
  private async autoVersion(entry: Entry): Promise<void> {
    const clock = entry.versions;
    clearTimeout(clock.pauseTimer);
    if (!clock.edited) return;
    const editors = Array.from(clock.editors);
    clock.edited = false;
    clock.editors.clear();
    clock.lastVersionAt = Date.now();
    try {
      await createVersion(this.conn, {
        documentId: entry.room.documentId,
        kind: 'auto',
        state: Y.encodeStateAsUpdate(entry.room.doc),
        editors,
        createdBy: null,
      });
    } catch (error) {
      this.logger.error({ err: error, documentId: entry.room.documentId }, 'sync: automatic version failed');
    }
  }

  /** The editors since the last version of a loaded document (they go into the next version). */
  takeEditors(documentId: string): string[] {
    const entry = this.entries.get(documentId);
    if (!entry) return [];
    const editors = Array.from(entry.versions.editors);
    entry.versions.editors.clear();
    entry.versions.edited = false;
    entry.versions.lastVersionAt = Date.now();
    clearTimeout(entry.versions.pauseTimer);
    return editors;
  }

  private unload(entry: Entry): Promise<void> {
    if (entry.unloading) return entry.unloading;
    entry.unloading = (async () => {
      clearTimeout(entry.unloadTimer);
      const { room } = entry;
      await room.flushed();
      if (room.logEntries > 0) await this.compact(entry);
      await this.autoVersion(entry);
      await this.reportEdits(entry);
      room.destroy();
      this.entries.delete(room.documentId);
    })().catch((error: unknown) => {
      this.logger.error({ err: error, documentId: entry.room.documentId }, 'sync: unloading failed');
      clearTimeout(entry.edits.timer);
      entry.room.destroy();
      this.entries.delete(entry.room.documentId);
    });
    return entry.unloading;
  }

  /** Unloads every room now whose holders are gone (tests and benchmarks use it instead of waiting). */
  async unloadIdle(): Promise<void> {
    await Promise.all(
      Array.from(this.entries.values())
        .filter((e) => e.holders === 0)
        .map((e) => this.unload(e)),
    );
  }

  /** Shutdown: store everything received, then drop every room. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(Array.from(this.entries.values(), (e) => this.unload(e)));
  }
}
