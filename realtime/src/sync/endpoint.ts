/**
 * The Yjs sync endpoint: WebSocket upgrades on `/sync/<documentId>` (the y-websocket provider's
 * `serverUrl` is `<origin>/sync`, its room name the document id).
 *
 * Every upgrade is accepted and then, when it may not proceed, closed at once with a close code from
 * `CLOSE_CODES`, so the browser learns why (a refused HTTP upgrade only tells it "failed").
 * Checks, in order: the `Origin` header, then the authoriser (session + capability; documents and their
 * permissions arrive with the spaces feature, until then the production authoriser refuses every document).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, LIMITS } from '@cope/domain';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { ProtocolViolation, SyncRoom } from './room.js';

export const SYNC_PATH_PREFIX = '/sync/';
/** Document ids are opaque and URL-safe; anything else is refused before any lookup. */
const DOCUMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEEPALIVE_MS = 30_000;

/** Whose session a connection runs on: when that session ends, the connection closes with 4401. */
export interface SyncPrincipal {
  userId: string;
  sessionId: string;
}

export type SyncAccess =
  | { allowed: true; readOnly: boolean; principal?: SyncPrincipal }
  | { allowed: false; code: number; reason: string };
export type SyncAuthorizer = (req: IncomingMessage, documentId: string) => Promise<SyncAccess>;

/** Until documents exist, no one may open one: every document is "not found". */
export const refuseAllDocuments: SyncAuthorizer = () =>
  Promise.resolve({ allowed: false, code: CLOSE_CODES.notFound, reason: 'no such document' });

export interface SyncEndpointOptions {
  /** The one `Origin` check of the process (shared with socket.io). */
  originAllowed: (origin: string | undefined) => boolean;
  logger: Logger;
  authorize: SyncAuthorizer;
}

export class SyncEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.syncMaxFrameBytes });
  private readonly rooms = new Map<string, SyncRoom>();
  private readonly principals = new Map<WebSocket, SyncPrincipal>();
  private readonly keepalive: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly options: SyncEndpointOptions) {
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
    // Frames that arrive while we authorise are kept, then replayed in order.
    const early: RawData[] = [];
    const buffer = (data: RawData) => early.push(data);
    ws.on('message', buffer);
    const access = await this.options.authorize(req, documentId);
    ws.off('message', buffer);
    if (!access.allowed) {
      ws.close(access.code, access.reason);
      return;
    }
    if (ws.readyState !== ws.OPEN) return;
    if (access.principal) {
      this.principals.set(ws, access.principal);
      ws.on('close', () => this.principals.delete(ws));
    }
    this.connect(ws, documentId, access.readOnly);
    for (const data of early) ws.emit('message', data, true);
  }

  private connect(ws: WebSocket, documentId: string, readOnly: boolean): void {
    let room = this.rooms.get(documentId);
    if (!room) {
      room = new SyncRoom(documentId);
      this.rooms.set(documentId, room);
    }
    const joined = room;
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
        joined.receive(ws, toBytes(data));
      } catch (error) {
        if (!(error instanceof ProtocolViolation)) throw error;
        this.options.logger.warn(
          { documentId, reason: error.message },
          'sync: malformed frame, closing connection',
        );
        ws.close(CLOSE_CODES.protocolError, 'malformed frame');
      }
    });
    ws.on('close', () => {
      joined.leave(ws);
      if (joined.connections.size === 0 && this.rooms.get(documentId) === joined) {
        this.rooms.delete(documentId);
        joined.destroy();
      }
    });
    ws.on('error', (error) => this.options.logger.warn({ err: error, documentId }, 'sync: socket error'));
    joined.join(ws, readOnly);
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

  /** Closes every connection with the shutdown close code. */
  close(): void {
    this.closing = true;
    clearInterval(this.keepalive);
    for (const ws of this.wss.clients) ws.close(CLOSE_CODES.serverShutdown, 'server shutting down');
    this.wss.close();
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
