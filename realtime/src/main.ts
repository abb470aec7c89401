/**
 * Entry point of the one process: configuration, logging, database (MongoDB, or the embedded server on
 * DATA_DIR), the HTTP server with the web app, socket.io and the sync endpoint; graceful shutdown.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  acceptInvitation,
  ChannelService,
  ensureChannelIndexes,
  onSpaceAccessChange,
  spaceAccessOf,
  applyProfileDefaults,
  bindSpaceServices,
  connectDb,
  type DbHandle,
  createMailer,
  createOutbox,
  decideApplication,
  directoryServices,
  describeInvitation,
  ensureIndexes,
  ensureOutboxIndexes,
  getApplication,
  invalidateSession,
  markDocumentEdited,
  inviteMember,
  listApplications,
  listInvitations,
  OUTBOX_ONLY_FROM,
  readApplicationFile,
  requestPasswordReset,
  resendInvitation,
  resetPassword,
  revokeInvitation,
  sessionCookieSpec,
  setPasswordWithLink,
  signIn,
  staffServices,
  startUnconfirmedAffiliatePurge,
  submitApplication,
  validateSessionToken,
} from '@cope/db';
import { provideAppContext, type AccountServices } from '@cope/db/app-context';
import type { RequestHandler } from 'express';
import { createServer } from './app.js';
import { documentServices } from './sync/document-services.js';
import { spaceDocumentAuthorizer, startTrashPurge, watchSpaceAccess } from './spaces/index.js';
import { ConfigError, loadConfig, type Config } from './env.js';
import { createLogger } from './logger.js';
import { onShutdownSignals } from './shutdown.js';
import { createDevWebHandler, loadBuiltWebHandler, type WebHandler } from './web-handler.js';

/** The account services the web app calls, bound to this process's connection. */
function accountServices(conn: DbHandle['connection'], origin: string): AccountServices {
  return {
    sessionCookie: sessionCookieSpec(origin),
    validateSessionToken: (...a) => validateSessionToken(conn, ...a),
    signIn: (...a) => signIn(conn, ...a),
    invalidateSession: (...a) => invalidateSession(conn, ...a),
    inviteMember: (...a) => inviteMember(conn, ...a),
    resendInvitation: (...a) => resendInvitation(conn, ...a),
    revokeInvitation: (...a) => revokeInvitation(conn, ...a),
    listInvitations: (...a) => listInvitations(conn, ...a),
    describeInvitation: (...a) => describeInvitation(conn, ...a),
    acceptInvitation: (...a) => acceptInvitation(conn, ...a),
    requestPasswordReset: (...a) => requestPasswordReset(conn, ...a),
    resetPassword: (...a) => resetPassword(conn, ...a),
    setPasswordWithLink: (...a) => setPasswordWithLink(conn, ...a),
    submitApplication: (...a) => submitApplication(conn, ...a),
    listApplications: (...a) => listApplications(conn, ...a),
    getApplication: (...a) => getApplication(conn, ...a),
    readApplicationFile: (...a) => readApplicationFile(conn, ...a),
    decideApplication: (...a) => decideApplication(conn, ...a),
    outbox: createOutbox(conn),
  };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function readConfig(): Config {
  try {
    return loadConfig(process.env, repoRoot);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));

  const db = await connectDb({
    mongodbUrl: config.mongodbUrl,
    dataDir: config.dataDir,
    logger,
    // Without its database the process can only fail requests: stop, so that a supervisor restarts it.
    onEmbeddedDatabaseLost: (error) => {
      logger.fatal({ err: error }, 'the embedded database stopped; exiting');
      process.exit(1);
    },
  });

  await ensureIndexes(db.connection);
  await ensureChannelIndexes(db.connection);
  // One channel service for the socket handlers and the HTTP API; access comes from the spaces feature.
  const channelService = new ChannelService(db.connection, (userId, spaceId) =>
    spaceAccessOf(db.connection, userId, spaceId),
  );
  await channelService.ensureNetworkChannels();
  await applyProfileDefaults(db.connection);
  await ensureOutboxIndexes(db.connection);
  const mailer = createMailer({
    smtpUrl: config.smtpUrl,
    from: config.mailFrom ?? OUTBOX_ONLY_FROM,
    connection: db.connection,
    logger: logger.child({ component: 'mail' }),
  });

  // adapter-node reads the client address from this header when set; only behind a trusted proxy.
  if (config.trustProxy) process.env.ADDRESS_HEADER ??= 'x-forwarded-for';

  // The web app's server code reaches the database and services through this context.
  provideAppContext({
    origin: config.origin,
    dataDir: config.dataDir,
    logger,
    db,
    mailer,
    accounts: accountServices(db.connection, config.origin),
    documents: documentServices(db.connection, () => server.sync.rooms),
    spaces: bindSpaceServices(db.connection),
    directory: directoryServices(db.connection),
    staff: staffServices(db.connection, { mailer, logger: logger.child({ component: 'staff' }) }),
    channels: channelService,
  });

  // The dev handler needs the HTTP server (for hot reload), so the web handler is plugged in after it.
  const webSlot: { current?: WebHandler } = {};
  const delegateToWeb: RequestHandler = (req, res, next) =>
    webSlot.current ? webSlot.current.handler(req, res, next) : next();
  const server = createServer({
    config,
    logger,
    db,
    web: delegateToWeb,
    requireSessions: true,
    channels: { service: channelService, onSpaceAccessChange },
    onDocumentEdited: (documentId, userIds, at) => markDocumentEdited(db.connection, documentId, userIds, at),
    // Who may open which document: their role in its space, through can().
    authorizeSync: spaceDocumentAuthorizer(db.connection),
  });
  const web =
    config.env === 'development'
      ? await createDevWebHandler(path.join(repoRoot, 'web'), server.http)
      : await loadBuiltWebHandler(config.webBuildDir);
  webSlot.current = web;
  // Access changes (member removed, role changed, archive, trash) re-check open sync connections at once.
  const stopWatchingAccess = watchSpaceAccess(db.connection, server.sync, logger);
  const stopTrashPurge = startTrashPurge(db.connection, logger.child({ component: 'spaces' }));
  // Affiliate sign-ups never confirmed are forgotten 7 days on (db/src/accounts/unconfirmed-purge.ts).
  const stopUnconfirmedPurge = startUnconfirmedAffiliatePurge(
    db.connection,
    logger.child({ component: 'accounts' }),
  );

  onShutdownSignals(logger, async () => {
    stopWatchingAccess();
    stopTrashPurge();
    stopUnconfirmedPurge();
    await server.close();
    await web.close();
    await mailer.close();
    await db.close();
  });

  const address = await server.listen(config.port, config.host).catch(async (error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // The usual cause is a second start by mistake: say so, instead of a stack trace.
    logger.fatal(
      { port: config.port, host: config.host },
      `Port ${config.port} on ${config.host} is already in use (is COPE Workspace already running?). ` +
        'Stop the other process or set PORT to another port.',
    );
    await mailer.close();
    await db.close();
    process.exit(1);
  });
  logger.info(
    {
      address: `${address.address}:${address.port}`,
      origin: config.origin,
      database: db.mode,
      env: config.env,
    },
    `COPE Workspace listening on ${config.origin}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
