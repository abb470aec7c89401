/**
 * The Yjs sync endpoint: WebSocket upgrades on `/sync/<documentId>` (the y-websocket provider's
 * `serverUrl` is `<origin>/sync`, its room name the document id).
 *
 * Every upgrade is accepted and then, when it may not proceed, closed at once with a close code from
 * `CLOSE_CODES`, so the browser learns why (a refused HTTP upgrade only tells it "failed").
 * Checks, in order: the `Origin` header, then the authoriser (session + capability), then loading the
 * document (4503 when its stored content cannot be loaded).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { InsertCommand } from '@cope/db';
import { CLOSE_CODES, LIMITS } from '@cope/domain';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  DocumentTooLarge,
  ProtocolViolation,
  type RoomConnection,
  type SyncPrincipal,
  type SyncRoom,
} from './room.js';
import { DEFAULT_ROOM_TUNING, RoomRegistry, type DocumentEditedHook, type RoomTuning } from './rooms.js';

export type { SyncPrincipal } from './room.js';

export const SYNC_PATH_PREFIX = '/sync/';
/** Document ids are opaque and URL-safe; anything else is refused before any lookup. */
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEEPALIVE_MS = 30_000;

export type SyncAccess =
  | { allowed: true; readOnly: boolean; principal?: SyncPrincipal; spaceId?: string }
  | { allowed: false; code: number; reason: string };
export type SyncAuthorizer = (req: IncomingMessage, documentId: string) => Promise<SyncAccess>;

/** Until documents exist, no one may open one: every document is "not found". */
export const refuseAllDocuments: SyncAuthorizer = () =>
  Promise.resolve({ allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' });

/** One live connection to a document of a space, as SPACES sees it when access changes. */
export interface SpaceConnection {
  documentId: string;
  principal?: SyncPrincipal;
  readOnly: boolean;
  close(code: number, reason: string): void;
  setReadOnly(readOnly: boolean): void;
}

export interface SyncEndpointOptions {
  /** The one `Origin` check of the process (shared with socket.io). */
  originAllowed: (origin: string | undefined) => boolean;
  logger: Logger;
  authorize: SyncAuthorizer;
  /** Where documents are stored. */
  conn: Connection;
  /** How the update log's inserts are sent (`DbHandle.inserts.command`); default: `conn`'s own client. */
  inserts?: InsertCommand;
  /** Called after each group commit with the people whose changes it stored (SPACES' markDocumentEdited). */
  onDocumentEdited?: DocumentEditedHook;
  tuning?: Partial<RoomTuning>;
}

export class SyncEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.syncMaxFrameBytes });
  readonly rooms: RoomRegistry;
  private readonly principals = new Map<WebSocket, SyncPrincipal>();
  private readonly keepalive: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: SyncEndpointOptions) {
    this.rooms = new RoomRegistry(
      options.conn,
      options.logger,
      { ...DEFAULT_ROOM_TUNING, ...options.tuning },
      options.onDocumentEdited,
      options.inserts,
    );
    this.keepalive = setInterval(() => this.sweepDeadSockets(), KEEPALIVE_MS);
    this.keepalive.unref();
  }

  /** True when this endpoint owns the upgrade's path. */
  static handles(url: string | undefined): boolean {
    return url?.startsWith(SYNC_PATH_PREFIX) ?? false;
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.admit(req, ws).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'sync: admitting a connection failed');
        ws.close(1011, 'internal error');
      });
    });
  }

  private async admit(req: IncomingMessage, ws: WebSocket): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const documentId = decodeURIComponent(pathname.slice(SYNC_PATH_PREFIX.length));
    if (!this.options.originAllowed(req.headers.origin)) {
      ws.close(CLOSE_CODES.forbiddenOrigin, 'origin not allowed');
      return;
    }
    if (!DOCUMENT_ID.test(documentId)) {
      ws.close(CLOSE_CODES.notFound, 'no such document');
      return;
    }
    // Frames that arrive while we authorise and load are kept, then replayed in order.
    const early: RawData[] = [];
    const buffer = (data: RawData) => early.push(data);
    ws.on('message', buffer);
    const access = await this.options.authorize(req, documentId);
    if (!access.allowed) {
      ws.off('message', buffer);
      ws.close(access.code, access.reason);
      return;
    }
    let room: SyncRoom;
    try {
      room = await this.rooms.acquire(documentId);
    } catch {
      ws.off('message', buffer);
      ws.close(CLOSE_CODES.documentUnavailable, 'document unavailable');
      return;
    }
    ws.off('message', buffer);
    if (ws.readyState !== ws.OPEN) {
      this.rooms.release(room);
      return;
    }
    if (access.principal) {
      this.principals.set(ws, access.principal);
      ws.on('close', () => this.principals.delete(ws));
    }
    this.connect(ws, room, access);
    for (const data of early) ws.emit('message', data, true);
  }

  private connect(
    ws: WebSocket,
    room: SyncRoom,
    access: { readOnly: boolean; principal?: SyncPrincipal; spaceId?: string },
  ): void {
    const { documentId } = room;
    let alive = true;
    (ws as WebSocket & { isAlive?: () => boolean }).isAlive = () => {
      const was = alive;
      alive = false;
      return was;
    };
    ws.on('pong', () => (alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        ws.close(CLOSE_CODES.protocolError, 'binary frames only');
        return;
      }
      try {
        room.receive(ws, toBytes(data));
      } catch (error) {
        if (error instanceof DocumentTooLarge) {
          this.options.logger.warn({ documentId }, 'sync: update refused, document too large');
          ws.close(CLOSE_CODES.documentTooLarge, 'document too large');
          return;
        }
        if (!(error instanceof ProtocolViolation)) throw error;
        this.options.logger.warn(
          { documentId, reason: error.message },
          'sync: malformed frame, closing connection',
        );
        ws.close(CLOSE_CODES.protocolError, 'malformed frame');
      }
    });
    ws.on('close', () => {
      room.leave(ws);
      this.rooms.release(room);
    });
    ws.on('error', (error) => this.options.logger.warn({ err: error, documentId }, 'sync: socket error'));
    room.join(ws, access);
  }

  /** The live connections to the documents of a space (SPACES closes or downgrades them when access changes). */
  connectionsInSpace(spaceId: string): SpaceConnection[] {
    const found: SpaceConnection[] = [];
    for (const room of this.rooms.values()) {
      for (const conn of room.connections.values()) {
        if (conn.spaceId === spaceId) found.push(spaceConnection(room, conn));
      }
    }
    return found;
  }

  private sweepDeadSockets(): void {
    for (const ws of this.wss.clients) {
      const probe = (ws as WebSocket & { isAlive?: () => boolean }).isAlive;
      if (probe && !probe()) ws.terminate();
      else ws.ping();
    }
  }

  /** Closes, with 4401, every connection whose session `matches` says has ended. */
  closeSessions(matches: (principal: SyncPrincipal) => boolean): void {
    for (const [ws, principal] of this.principals) {
      if (matches(principal)) ws.close(CLOSE_CODES.unauthenticated, 'session ended');
    }
  }

  /** Closes every connection with the shutdown close code, then stores what was received and unloads. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.keepalive);
    for (const ws of this.wss.clients) ws.close(CLOSE_CODES.serverShutdown, 'server shutting down');
    this.wss.close();
    await this.rooms.close();
  }
}

function spaceConnection(room: SyncRoom, conn: RoomConnection): SpaceConnection {
  return {
    documentId: room.documentId,
    principal: conn.principal,
    readOnly: conn.readOnly,
    close: (code, reason) => conn.socket.close(code, reason),
    setReadOnly: (readOnly) => {
      conn.readOnly = readOnly;
    },
  };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
