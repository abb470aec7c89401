/**
 * One document's live room: the Y.Doc in memory, its awareness (who is here, carets), and the open
 * connections. Every broadcast frame is encoded once and the same bytes are sent to every receiver.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
  SYNC_STEP_1,
  SYNC_STEP_2,
  SYNC_UPDATE,
} from './protocol.js';

export interface RoomConnection {
  readonly socket: WebSocket;
  readonly readOnly: boolean;
  /** Awareness client ids this connection introduced, removed when it leaves. */
  readonly awarenessIds: Set<number>;
}

/** Thrown for a frame that is not valid y-websocket protocol; the endpoint closes that connection. */
export class ProtocolViolation extends Error {}

export class SyncRoom {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Map<WebSocket, RoomConnection>();

  constructor(readonly documentId: string) {
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      this.broadcast(encoding.toUint8Array(encoder));
    });
    this.awareness.on(
      'update',
      (
        { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
        origin: unknown,
      ) => {
        const changed = added.concat(updated, removed);
        const conn = origin instanceof Object ? this.connectionOf(origin) : undefined;
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

  private connectionOf(origin: object): RoomConnection | undefined {
    return this.connections.get(origin as WebSocket);
  }

  /** Adds a connection and starts the sync: our state vector (step 1) and everyone's awareness. */
  join(socket: WebSocket, readOnly: boolean): RoomConnection {
    const conn: RoomConnection = { socket, readOnly, awarenessIds: new Set() };
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
   * Handles one frame from `socket`. Throws ProtocolViolation for anything malformed, before it can touch
   * the document: Yjs decodes an update completely before integrating it.
   */
  receive(socket: WebSocket, frame: Uint8Array): void {
    const conn = this.connections.get(socket);
    if (!conn) return;
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
            break;
          }
          if (syncType !== SYNC_STEP_2 && syncType !== SYNC_UPDATE) {
            throw new ProtocolViolation(`unknown sync message type ${syncType}`);
          }
          const update = decoding.readVarUint8Array(decoder);
          if (conn.readOnly) {
            // Read-only people may ask for the document but not change it: tell them, change nothing.
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, MESSAGE_AUTH);
            authProtocol.writePermissionDenied(encoder, 'read-only');
            send(socket, encoding.toUint8Array(encoder));
            return;
          }
          // Yjs swallows (and only logs) errors while applying an update, so a malformed one could be
          // half-integrated. Decoding it completely first refuses it before it touches the document.
          Y.decodeUpdate(update);
          Y.applyUpdate(this.doc, update, socket);
          break;
        }
        case MESSAGE_AWARENESS:
          awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), socket);
          break;
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
          break;
        }
        default:
          throw new ProtocolViolation(`unknown message type ${messageType}`);
      }
    } catch (error) {
      if (error instanceof ProtocolViolation) throw error;
      throw new ProtocolViolation(error instanceof Error ? error.message : 'malformed frame');
    }
  }

  private broadcast(frame: Uint8Array): void {
    for (const socket of this.connections.keys()) send(socket, frame);
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}

function send(socket: WebSocket, frame: Uint8Array): void {
  // 1 = OPEN. A socket that is closing simply misses the frame; its client resyncs on reconnect.
  if (socket.readyState === 1) socket.send(frame);
}
