/**
 * One document's live room: the Y.Doc loaded from the store, its awareness (who is here, carets), the open
 * connections, and the group commit that stores every incoming update.
 *
 * Order for an incoming update: decode it completely (a malformed one closes that connection and touches
 * nothing), check the document size limit, forward it to the other connections at once (broadcast does not
 * wait for storage: storage is the sender's concern, told by the stored-acknowledgement), apply it to the
 * Y.Doc, then queue it for the group commit. After the commit, each sender receives one acknowledgement
 * with its count.
 * A client's update is forwarded as the bytes it arrived in (an update frame as it is; a sync step 2 with
 * the same update under the update type, since step 2 also tells a client it is in sync): no re-encoding,
 * so a delivery costs what a relay's does plus the decode that validates it. The server's own changes
 * (restores) are encoded from the Y.Doc's update event, listened to only during such a change. Either way,
 * each broadcast frame is encoded once and the same bytes are sent to every receiver.
 */
import { encodeStoredAck, LIMITS } from '@cope/domain';
import type { InsertCommand, StoredDocument } from '@cope/db';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Connection } from 'mongoose';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { GroupCommit, type Committed } from './group-commit.js';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './protocol.js';

/** Whose session a connection runs on: when that session ends, the connection closes with 4401. */
export interface SyncPrincipal {
  userId: string;
  sessionId: string;
}

export interface RoomConnection {
  readonly socket: WebSocket;
  /** Changed by SPACES when a person's role changes while connected. */
  readOnly: boolean;
  /** Awareness client ids this connection introduced, removed when it leaves. */
  readonly awarenessIds: Set<number>;
  readonly principal?: SyncPrincipal;
  readonly spaceId?: string;
  /** Document frames (sync step 2 and update) received so far: the count the stored-ack refers to. */
  received: number;
}

/** Thrown for a frame that is not valid y-websocket protocol; the endpoint closes that connection. */
export class ProtocolViolation extends Error {}

/** Thrown for an update that would make the document pass its size limit; it was not applied. */
export class DocumentTooLarge extends Error {}

/** The origin of changes the server makes itself (a restore): stored under this person's name. */
export class ServerChange {
  constructor(readonly userId: string | null) {}
}

/** Y's encoding of an update that changes nothing (no structs, empty delete set). */
/** A sync update message carrying `update`. */
function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

export interface RoomOptions {
  conn: Connection;
  /** How the update log's inserts are sent (the process's insert thread); default: `conn`'s own client. */
  inserts?: InsertCommand;
  maxDocumentBytes?: number;
  /** The group commit window (see GroupCommit). */
  commitWindowMs?: number;
  /** Called after every successful commit, with the people whose changes it stored. */
  onCommitted?: (room: SyncRoom, committed: Committed<RoomConnection>, userIds: string[]) => void;
  onCommitError?: (room: SyncRoom, error: unknown, attempt: number) => void;
}

export class SyncRoom {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Map<WebSocket, RoomConnection>();
  /** Bytes stored for this document (snapshot plus log): what the size limit is checked against. */
  storedBytes: number;
  /** Log entries after the snapshot: compaction is due when this grows past the threshold. */
  logEntries: number;
  /** Highest sequence number stored. */
  lastSeq: number;
  private readonly commits: GroupCommit<RoomConnection>;
  private readonly maxDocumentBytes: number;

  constructor(
    readonly documentId: string,
    loaded: StoredDocument,
    private readonly options: RoomOptions,
  ) {
    this.doc = loaded.doc;
    this.storedBytes = loaded.storedBytes;
    this.logEntries = loaded.logEntries;
    this.lastSeq = loaded.throughSeq;
    this.maxDocumentBytes = options.maxDocumentBytes ?? LIMITS.syncMaxDocumentBytes;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.commits = new GroupCommit<RoomConnection>(
      options.conn,
      documentId,
      (committed) => this.committed(committed),
      (error, attempt) => options.onCommitError?.(this, error, attempt),
      () => this.lastSeq,
      options.commitWindowMs ?? 0,
      options.inserts,
    );
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = added.concat(updated, removed);
        const conn = origin instanceof Object ? this.connections.get(origin as WebSocket) : undefined;
        if (conn) {
          for (const id of added) conn.awarenessIds.add(id);
          for (const id of removed) conn.awarenessIds.delete(id);
        }
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
        encoding.writeVarUint8Array(
          encoder,
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
        );
        this.broadcast(encoding.toUint8Array(encoder));
      },
    );
  }

  /** Adds a connection and starts the sync: our state vector (step 1) and everyone's awareness. */
  join(
    socket: WebSocket,
    access: { readOnly: boolean; principal?: SyncPrincipal; spaceId?: string },
  ): RoomConnection {
    const conn: RoomConnection = {
      socket,
      readOnly: access.readOnly,
      principal: access.principal,
      spaceId: access.spaceId,
      awarenessIds: new Set(),
      received: 0,
    };
    this.connections.set(socket, conn);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.doc);
    send(socket, encoding.toUint8Array(encoder));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      const awarenessEncoder = encoding.createEncoder();
      encoding.writeVarUint(awarenessEncoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(
        awarenessEncoder,
        awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(states.keys())),
      );
      send(socket, encoding.toUint8Array(awarenessEncoder));
    }
    return conn;
  }

  leave(socket: WebSocket): void {
    const conn = this.connections.get(socket);
    if (!conn) return;
    this.connections.delete(socket);
    awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(conn.awarenessIds), null);
  }

  /**
   * Handles one frame from `socket`. Throws ProtocolViolation for anything malformed and DocumentTooLarge for
   * an update over the size limit, both before it can touch the document.
   */
  receive(socket: WebSocket, frame: Uint8Array): void {
    const conn = this.connections.get(socket);
    if (!conn) return;
    let update: Uint8Array;
    let forward: Uint8Array | undefined;
    try {
      const decoder = decoding.createDecoder(frame);
      const messageType = decoding.readVarUint(decoder);
      switch (messageType) {
        case MESSAGE_SYNC: {
          const syncType = decoding.readVarUint(decoder);
          if (syncType === SYNC_STEP_1) {
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, MESSAGE_SYNC);
            syncProtocol.readSyncStep1(decoder, encoder, this.doc);
            send(socket, encoding.toUint8Array(encoder));
            return;
          }
          if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) {
            throw new ProtocolViolation(`unknown sync message type ${syncType}`);
          }
          update = decoding.readVarUint8Array(decoder);
          // Yjs can half-integrate a malformed update before failing; decoding it completely first refuses
          // it before it touches the document (or anyone else's).
          if (!isEmptyUpdate(update)) Y.decodeUpdate(update);
          // An update frame holds nothing but the update: forward its bytes as they are.
          if (syncType === SYNC_UPDATE && !decoding.hasContent(decoder)) forward = frame;
          break;
        }
        case MESSAGE_AWARENESS:
          awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), socket);
          return;
        case MESSAGE_QUERY_AWARENESS: {
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
          encoding.writeVarUint8Array(
            encoder,
            awarenessProtocol.encodeAwarenessUpdate(
              this.awareness,
              Array.from(this.awareness.getStates().keys()),
            ),
          );
          send(socket, encoding.toUint8Array(encoder));
          return;
        }
        default:
          throw new ProtocolViolation(`unknown message type ${messageType}`);
      }
    } catch (error) {
      if (error instanceof ProtocolViolation) throw error;
      throw new ProtocolViolation(error instanceof Error ? error.message : 'malformed frame');
    }
    this.receiveUpdate(conn, update, forward);
  }

  private receiveUpdate(conn: RoomConnection, update: Uint8Array, frame?: Uint8Array): void {
    const index = ++conn.received;
    const userId = conn.principal?.userId ?? null;
    if (isEmptyUpdate(update)) {
      this.commits.add({ sender: conn, index, update: null, userId });
      return;
    }
    if (conn.readOnly) {
      // Read-only people may ask for the document but not change it: tell them, change nothing.
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AUTH);
      authProtocol.writePermissionDenied(encoder, 'read-only');
      send(conn.socket, encoding.toUint8Array(encoder));
      this.commits.add({ sender: conn, index, update: null, userId });
      return;
    }
    if (this.storedBytes + update.length > this.maxDocumentBytes) {
      throw new DocumentTooLarge(`the document would exceed ${this.maxDocumentBytes} bytes`);
    }
    this.storedBytes += update.length;
    this.broadcast(frame ?? updateFrame(update), conn.socket);
    Y.applyUpdate(this.doc, update, conn.socket);
    // What was received is what is stored: replaying it on load gives the same document.
    this.commits.add({ sender: conn, index, update, userId });
  }

  /** Makes a change as the server (for `userId`): broadcast to everyone and stored like any update. */
  change(userId: string | null, edit: (doc: Y.Doc) => void): void {
    // Yjs encodes every transaction's update while anyone listens to 'update', so the listener is there
    // only for the server's own changes: a connection's update is forwarded and stored as it arrived
    // (receiveUpdate), and encoding it again for nobody cost time and garbage on every keystroke.
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (!(origin instanceof ServerChange)) return;
      this.broadcast(updateFrame(update));
      this.storedBytes += update.length;
      this.commits.add({ sender: null, index: 0, update, userId: origin.userId });
    };
    this.doc.on('update', onUpdate);
    try {
      this.doc.transact(() => edit(this.doc), new ServerChange(userId));
    } finally {
      this.doc.off('update', onUpdate);
    }
  }

  /** Resolves once every update received so far is stored. */
  flushed(): Promise<void> {
    return this.commits.flushed();
  }

  /** Updates received but not yet stored. */
  get unstored(): number {
    return this.commits.pending;
  }

  private committed(committed: Committed<RoomConnection>): void {
    const acks = new Map<RoomConnection, number>();
    const userIds = new Set<string>();
    let stored = 0;
    for (const entry of committed.entries) {
      if (entry.sender) acks.set(entry.sender, entry.index);
      if (entry.update) {
        stored++;
        if (entry.userId) userIds.add(entry.userId);
      }
    }
    if (stored > 0) {
      this.lastSeq = committed.lastSeq;
      this.logEntries += stored;
    }
    for (const [conn, settled] of acks) send(conn.socket, encodeStoredAck(settled));
    if (stored > 0) this.options.onCommitted?.(this, committed, Array.from(userIds));
  }

  /** Sends the same bytes to every connection (but `except`, the sender of a forwarded update). */
  private broadcast(frame: Uint8Array, except?: WebSocket): void {
    for (const socket of this.connections.keys()) if (socket !== except) send(socket, frame);
  }

  /** Drops the room's memory; unstored updates are abandoned (call `flushed()` first). */
  destroy(): void {
    this.commits.stop();
    this.awareness.destroy();
    this.doc.destroy();
  }
}

function send(socket: WebSocket, frame: Uint8Array): void {
  // 1 = OPEN. A socket that is closing simply misses the frame; its client resyncs on reconnect.
  if (socket.readyState === 1) socket.send(frame);
}
