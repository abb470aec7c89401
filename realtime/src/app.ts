/**
 * The one process: an HTTP server on one origin that serves the web app, socket.io at `/socket.io/`, the
 * Yjs sync endpoint at `/sync/<documentId>`, and the health endpoints. `createServer` wires them; `main.ts`
 * loads the configuration, connects the database and listens.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '@cope/domain';
import type { DbHandle } from '@cope/db';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { Server as SocketIoServer } from 'socket.io';
import { CoalescingWebSocketServer } from './net/coalescing-ws-server.js';
import type { Config } from './env.js';
import { requestIdOf } from './request-id.js';
import { onSessionRevocation } from '@cope/db';
import { sessionExpiryWatcher } from './auth/session-expiry.js';
import { isRevoked, sessionAuthenticator } from './auth/session.js';
import { installSocketAuth } from './auth/socket-auth.js';
import { requireSession, type DocumentAuthorizer } from './auth/sync-auth.js';
import { refuseAllDocuments, SyncEndpoint, type SyncAuthorizer } from './sync/endpoint.js';
import type { DocumentEditedHook, RoomTuning } from './sync/rooms.js';
import { installChannels, type ChannelsOptions, type InstalledChannels } from './channels/index.js';

export interface ServerDeps {
  config: Config;
  logger: Logger;
  db: DbHandle;
  /** Serves every request the server itself does not answer (the SvelteKit app). */
  web?: RequestHandler;
  /**
   * Decides who may open which document; defaults to refusing every document. With `requireSessions`
   * it runs after the session check and receives the principal.
   */
  authorizeSync?: SyncAuthorizer | DocumentAuthorizer;
  /**
   * Require a valid session cookie on socket.io handshakes and sync upgrades, and end live connections
   * when their session ends. The process always sets it; tests of the transport alone leave it off.
   */
  requireSessions?: boolean;
  /** Called after each group commit of a document, with who edited (SPACES' markDocumentEdited). */
  onDocumentEdited?: DocumentEditedHook;
  /** Sync room timings and thresholds (tests shorten them). */
  syncTuning?: Partial<RoomTuning>;
  /** The channels' socket events (needs `requireSessions`: every event has a person behind it). */
  channels?: Omit<ChannelsOptions, 'logger'>;
  /** The clock of the timers that close live connections when their session expires (tests move it on). */
  sessionClock?: () => number;
}

export interface RunningServer {
  readonly http: Server;
  readonly io: SocketIoServer;
  readonly sync: SyncEndpoint;
  readonly channels?: InstalledChannels;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Graceful stop: refuse new work, close sockets with the shutdown code, wait for HTTP to drain. */
  close(): Promise<void>;
}

export function createServer(deps: ServerDeps): RunningServer {
  const { config, logger, db } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = requestIdOf(req);
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Health probes every few seconds would drown the log.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', (_req, res, next) => {
    db.ping()
      .then((up) => {
        res
          .status(up ? 200 : 503)
          .json({ status: up ? 'ready' : 'unavailable', database: up ? 'up' : 'down' });
      })
      .catch(next);
  });

  if (deps.web) app.use(deps.web);

  const http = createHttpServer(app);

  // Browsers always send Origin on WebSocket and socket.io requests; one check serves both.
  const originAllowed = (origin: string | undefined) => origin === config.origin;

  const io = new SocketIoServer(http, {
    path: '/socket.io/',
    maxHttpBufferSize: LIMITS.socketMaxPayloadBytes,
    serveClient: false,
    // A broadcast batch leaves each member's socket in one write (see the class).
    wsEngine: CoalescingWebSocketServer,
    // Other upgrades (the sync endpoint, Vite's hot reload) are ours to route, not socket.io's to destroy.
    destroyUpgrade: false,
    allowRequest: (req, callback) => {
      callback(null, originAllowed(req.headers.origin));
    },
  });

  const documents = deps.authorizeSync ?? refuseAllDocuments;
  const authenticate = sessionAuthenticator(db, () => config.origin);
  const watchExpiry = sessionExpiryWatcher(db.connection, logger, deps.sessionClock);
  const sync = new SyncEndpoint({
    originAllowed,
    logger,
    conn: db.connection,
    inserts: db.inserts.command,
    onDocumentEdited: deps.onDocumentEdited,
    tuning: deps.syncTuning,
    authorize: deps.requireSessions
      ? requireSession(authenticate, documents, watchExpiry)
      : (req, documentId) => (documents as SyncAuthorizer)(req, documentId),
  });
  const unsubscribe: (() => void)[] = [];
  if (deps.requireSessions) {
    unsubscribe.push(installSocketAuth(io, authenticate, logger, watchExpiry));
    unsubscribe.push(
      onSessionRevocation((revocation) =>
        sync.closeSessions((principal) => isRevoked(principal, revocation)),
      ),
    );
  }
  const channels =
    deps.channels && deps.requireSessions
      ? installChannels(io, { ...deps.channels, logger: logger.child({ component: 'channels' }) })
      : undefined;
  if (channels) unsubscribe.push(() => channels.close());
  http.on('upgrade', (req, socket, head: Buffer) => {
    if (SyncEndpoint.handles(req.url)) sync.handleUpgrade(req, socket, head);
    // socket.io and (in development) Vite listen for their own paths; anything else is nobody's.
    else if (!req.url?.startsWith('/socket.io/') && config.env !== 'development') socket.destroy();
  });

  let closed: Promise<void> | undefined;
  return {
    http,
    io,
    sync,
    channels,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          resolve(http.address() as AddressInfo);
        });
      }),
    close: () =>
      (closed ??= (async () => {
        for (const stop of unsubscribe) stop();
        await sync.close();
        await new Promise<void>((resolve) => {
          // socket.io's close() also closes the HTTP server: no new connections, in-flight requests finish.
          void io.close(() => resolve());
          // Idle keep-alive connections would otherwise hold the server open until they time out.
          http.closeIdleConnections();
        });
      })()),
  };
}
