/**
 * The channels tests' server: the real process server on port 0 with sessions and the channel handlers, the
 * real embedded database in a temp folder, spaces made through the spaces services, people with sessions,
 * and socket.io-client sockets that speak the typed contract.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  ClientAck,
  ClientEventName,
  ClientPayload,
  NetworkRole,
  ServerEvents,
  SpaceRole,
} from '@cope/domain';
import {
  addMember,
  ChannelService,
  connectDb,
  createSession,
  createSpace,
  createUser,
  ensureChannelIndexes,
  ensureIndexes,
  generateSessionToken,
  onSpaceAccessChange,
  spaceAccessOf,
  type DbHandle,
} from '@cope/db';
import { io as connectSocketIo, type Socket } from 'socket.io-client';
import { createServer, type RunningServer } from '../src/app.js';
import type { RateLimit } from '../src/channels/rate-limit.js';
import type { Config } from '../src/env.js';
import { silentLogger } from './helpers.js';

export interface Person {
  userId: string;
  name: string;
  cookie: string;
  actor: { userId: string; networkRole: NetworkRole; disabled: boolean };
}

export interface ChannelServer {
  server: RunningServer;
  db: DbHandle;
  service: ChannelService;
  origin: string;
  person(networkRole?: NetworkRole): Promise<Person>;
  /** A space owned by a fresh staff-made owner, with the given people at the given roles. */
  space(members: [Person, SpaceRole][]): Promise<{ spaceId: string; owner: Person; generalId: string }>;
  socket(who: Person | null, options?: { origin?: string }): Socket;
  close(): Promise<void>;
}

export async function startChannelServer(
  limits: { sendLimit?: RateLimit; signalLimit?: RateLimit } = {},
): Promise<ChannelServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-channels-'));
  const db = await connectDb({ dataDir, logger: silentLogger, mongodbUrl: process.env.MONGODB_URL });
  await ensureIndexes(db.connection);
  await ensureChannelIndexes(db.connection);
  const conn = db.connection;
  const service = new ChannelService(conn, (userId, spaceId) => spaceAccessOf(conn, userId, spaceId));
  await service.ensureNetworkChannels();
  const config: Config = {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    origin: 'http://127.0.0.1',
    dataDir,
    mongodbUrl: undefined,
    logLevel: 'silent',
    trustProxy: false,
    webBuildDir: path.join(dataDir, 'no-web-build'),
    smtpUrl: undefined,
    mailFrom: undefined,
  };
  const server = createServer({
    config,
    logger: silentLogger,
    db,
    requireSessions: true,
    channels: { service, onSpaceAccessChange, ...limits },
  });
  const address = await server.listen(0, '127.0.0.1');
  config.origin = `http://127.0.0.1:${address.port}`;
  const sockets: Socket[] = [];
  let counter = 0;

  const person = async (networkRole: NetworkRole = 'member'): Promise<Person> => {
    counter += 1;
    const name = `Person ${counter}`;
    const created = await createUser(
      conn,
      { email: `person${counter}@example.org`, name, networkRole },
      { actorId: null },
    );
    if (!created.ok) throw new Error('createUser failed');
    const token = generateSessionToken();
    await createSession(conn, token, created.value.id);
    return {
      userId: created.value.id,
      name,
      cookie: `cope_session=${token}`,
      actor: { userId: created.value.id, networkRole, disabled: false },
    };
  };

  return {
    server,
    db,
    service,
    origin: config.origin,
    person,
    space: async (members) => {
      const staff = await person('staff');
      const owner = await person();
      const created = await createSpace(conn, staff.actor, {
        title: `Space ${counter}`,
        kind: 'project',
        ownerEmail: `person${counter}@example.org`,
      });
      if (!created.ok) throw new Error(`createSpace: ${JSON.stringify(created.error)}`);
      const spaceId = created.value.id;
      for (const [who, role] of members) {
        const email = `person${who.name.replace('Person ', '')}@example.org`;
        const added = await addMember(conn, owner.actor, spaceId, { email, role });
        if (!added.ok) throw new Error(`addMember: ${JSON.stringify(added.error)}`);
      }
      const general = await service.ensureGeneral(spaceId);
      return { spaceId, owner, generalId: general._id.toHexString() };
    },
    socket: (who, options = {}) => {
      const headers: Record<string, string> = { origin: options.origin ?? config.origin };
      if (who) headers.cookie = who.cookie;
      const socket = connectSocketIo(config.origin, {
        transports: ['websocket'],
        extraHeaders: headers,
        reconnection: false,
      });
      sockets.push(socket);
      return socket;
    },
    close: async () => {
      for (const s of sockets) s.close();
      await server.channels?.settled();
      await server.close();
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function connected(socket: Socket): Promise<Socket> {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Emits a contract event and resolves with its acknowledgement. */
export function request<E extends ClientEventName>(
  socket: Socket,
  event: E,
  payload: ClientPayload<E>,
): Promise<ClientAck<E>> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<ClientAck<E>>;
}

/** Like `request`, but fails unless the acknowledgement is ok. */
export async function expectOk<E extends ClientEventName>(
  socket: Socket,
  event: E,
  payload: ClientPayload<E>,
): Promise<Extract<ClientAck<E>, { ok: true }>> {
  const ack = await request(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} refused: ${JSON.stringify(ack.error)}`);
  return ack;
}

/** Collects every payload of a server event on a socket. */
export function collect<E extends keyof ServerEvents>(socket: Socket, event: E): ServerEvents[E][] {
  const out: ServerEvents[E][] = [];
  const name: string = event;
  socket.on(name, (payload: ServerEvents[E]) => {
    out.push(payload);
  });
  return out;
}

let ids = 0;
/** A fresh client id for a message. */
export const clientId = (): string => `c${process.pid}x${Date.now().toString(36)}x${(ids += 1)}`;
