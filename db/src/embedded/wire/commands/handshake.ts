/** Commands drivers, mongoose and mongosh send when they connect, and server-level information. */
import os from 'node:os';
import { Long } from 'bson';
import type { CommandHandler } from '../context';
import {
  LOGICAL_SESSION_TIMEOUT_MINUTES,
  MAX_BSON_OBJECT_SIZE,
  MAX_MESSAGE_SIZE_BYTES,
  MAX_WIRE_VERSION,
  MAX_WRITE_BATCH_SIZE,
  MIN_WIRE_VERSION,
  SERVER_VERSION,
  SERVER_VERSION_ARRAY,
} from '../constants';
import { serverError } from '../errors';

/**
 * The handshake reply. It describes a standalone server: no `setName`, no `topologyVersion` (so drivers
 * poll instead of streaming hello) and no `compression` (so drivers never compress). Being standalone is
 * also what keeps drivers from sending `txnNumber` for retryable writes.
 */
const hello: CommandHandler = (body, ctx) => {
  const legacy = body.hello === undefined;
  return {
    helloOk: true,
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: LOGICAL_SESSION_TIMEOUT_MINUTES,
    connectionId: ctx.connectionId,
    minWireVersion: MIN_WIRE_VERSION,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
};

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [...SERVER_VERSION_ARRAY],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  modules: [],
  allocator: 'system',
  javascriptEngine: 'none',
  sysInfo: 'deprecated',
  storageEngines: ['sqlite'],
  openssl: { running: 'disabled', compiled: 'disabled' },
  buildEnvironment: { target_os: os.platform(), target_arch: os.arch() },
});

const ok: CommandHandler = () => ({});

const getParameter: CommandHandler = (body) => {
  const reply: Record<string, unknown> = {};
  const all = body.getParameter === '*';
  if (all || body.featureCompatibilityVersion !== undefined)
    reply.featureCompatibilityVersion = { version: '7.0' };
  if (all || body.authenticationMechanisms !== undefined) reply.authenticationMechanisms = [];
  if (all || body.requireApiVersion !== undefined) reply.requireApiVersion = false;
  if (Object.keys(reply).length === 0) throw serverError('InvalidOptions', 'no option found to get');
  return reply;
};

const hostInfo: CommandHandler = () => ({
  system: {
    currentTime: new Date(),
    hostname: os.hostname(),
    cpuAddrSize: 64,
    memSizeMB: Math.round(os.totalmem() / (1024 * 1024)),
    numCores: os.cpus().length,
    cpuArch: os.arch(),
  },
  os: { type: os.type(), name: os.platform(), version: os.release() },
  extra: {},
});

const connectionStatus: CommandHandler = () => ({
  authInfo: { authenticatedUsers: [], authenticatedUserRoles: [], authenticatedUserPrivileges: [] },
});

const getLog: CommandHandler = (body) => {
  if (body.getLog === '*') return { names: ['global', 'startupWarnings'] };
  if (body.getLog === 'global' || body.getLog === 'startupWarnings') return { totalLinesWritten: 0, log: [] };
  throw serverError('InvalidOptions', `No log named '${String(body.getLog)}'`);
};

const whatsmyuri: CommandHandler = (_body, ctx) => ({ you: ctx.remoteAddress });

const getCmdLineOpts: CommandHandler = () => ({ argv: ['embedded'], parsed: {} });

const serverStatus: CommandHandler = (_body, ctx) => {
  const { server } = ctx;
  const uptimeMillis = Date.now() - server.startedAt;
  return {
    host: `${os.hostname()}:${server.port}`,
    version: SERVER_VERSION,
    process: 'mongod',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis: Long.fromNumber(uptimeMillis),
    uptimeEstimate: Long.fromNumber(Math.floor(uptimeMillis / 1000)),
    localTime: new Date(),
    connections: {
      current: server.connections.current,
      available: 1_000_000 - server.connections.current,
      totalCreated: server.connections.totalCreated,
    },
    opcounters: { ...server.opcounters },
    metrics: { cursor: { open: { total: server.cursors.size } } },
    storageEngine: { name: 'sqlite', supportsCommittedReads: true, persistent: true },
  };
};

export const handshakeCommands: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  buildInfo,
  buildinfo: buildInfo,
  ping: ok,
  getParameter,
  endSessions: ok,
  killAllSessions: ok,
  killSessions: ok,
  refreshSessions: ok,
  hostInfo,
  connectionStatus,
  getLog,
  whatsmyuri,
  getCmdLineOpts,
  serverStatus,
};
