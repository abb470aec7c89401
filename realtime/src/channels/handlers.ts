/**
 * The channels over socket.io: every client event of the contract (@cope/domain channels/events) is rate
 * limited, validated with its zod schema, checked through the channel services (and so `can()`), and
 * answered with an acknowledgement. Rooms: `channel:<id>` for the people who opened a channel (messages,
 * edits, typing, presence), `activity:<id>` for those who only follow its unread badge, and the auth
 * feature's `user:<id>` for one person's sockets (read positions across tabs and devices).
 *
 * Access is resolved once per socket and channel and kept in `SocketChannels.contexts`; a space access
 * change (spaces feature) drops the affected people from their rooms at once and re-admits only those the
 * re-check still allows, replaying what they missed meanwhile.
 */
import {
  CHANNEL_LIMITS,
  CLIENT_EVENT_SCHEMAS,
  describeIssues,
  failure,
  type Actor,
  type ClientAckResults,
  type ClientEventName,
  type ChannelError,
  type ParsedClientPayload,
  type ServerEvents,
} from '@cope/domain';
import {
  MessageWriter,
  type ChannelContext,
  type ChannelService,
  type SessionUser,
  type StoredMessage,
} from '@cope/db';
import type { Logger } from 'pino';
import type { Server as SocketIoServer, Socket } from 'socket.io';
import { userRoom, type SocketSessionData } from '../auth/socket-auth.js';
import { RateLimiter, type RateLimit } from './rate-limit.js';
import { ReadPositionAdvancer } from './read-positions.js';

export const channelRoom = (channelId: string): string => `channel:${channelId}`;
export const activityRoom = (channelId: string): string => `activity:${channelId}`;

/** What a space access change says (the spaces feature's bus). */
export interface AccessChange {
  spaceId: string;
  userIds: readonly string[] | 'all';
}

export interface ChannelsOptions {
  service: ChannelService;
  logger: Logger;
  /** Subscribes to space access changes; returns the unsubscribe function. */
  onSpaceAccessChange?: (listener: (change: AccessChange) => void) => () => void;
  /** Per-person limits; the defaults are CHANNEL_LIMITS'. */
  sendLimit?: RateLimit;
  signalLimit?: RateLimit;
}

/** Per-socket state of the channels feature, kept in `dataOf(socket).channels`. */
interface SocketChannels {
  /** Resolved channel contexts (channel + access), reused by later events. */
  contexts: Map<string, ChannelContext>;
  joined: Set<string>;
  watched: Set<string>;
  /** The socket's sends, in arrival order, until each has entered the writer. */
  sending: Promise<void>;
}

type ChannelSocket = Socket;
type ChannelSocketData = Partial<SocketSessionData> & { channels?: SocketChannels };
/** socket.io types `data` as any: one typed view of it. */
const dataOf = (socket: Socket): ChannelSocketData => socket.data as ChannelSocketData;

const SIGNAL_EVENTS = new Set<ClientEventName>(['typing', 'read:mark']);

type Handler<E extends ClientEventName> = (
  payload: ParsedClientPayload<E>,
  socket: ChannelSocket,
  actor: Actor & { name: string },
) => Promise<({ ok: true } & ClientAckResults[E]) | { ok: false; error: ChannelError }>;

export interface InstalledChannels {
  writer: MessageWriter;
  /** Waits for deferred writes (read positions); for shutdown and tests. */
  settled(): Promise<void>;
  close(): void;
}

export function installChannels(io: SocketIoServer, options: ChannelsOptions): InstalledChannels {
  const { service, logger } = options;
  const sendLimiter = new RateLimiter(
    options.sendLimit ?? { burst: CHANNEL_LIMITS.sendBurst, perSecond: CHANNEL_LIMITS.sendPerSecond },
  );
  const signalLimiter = new RateLimiter(
    options.signalLimit ?? { burst: CHANNEL_LIMITS.signalBurst, perSecond: CHANNEL_LIMITS.signalPerSecond },
  );
  const sweep = setInterval(() => {
    sendLimiter.sweep();
    signalLimiter.sweep();
  }, 60_000);
  sweep.unref();

  const emit = <E extends keyof ServerEvents>(room: string, event: E, payload: ServerEvents[E]) => {
    // socket.io encodes the packet before it looks at the room: skip rooms nobody is in (this process's
    // in-memory adapter knows every room; a cluster adapter would need this check removed).
    if (!io.sockets.adapter.rooms.has(room)) return;
    io.to(room).emit(event, payload);
  };

  // The last sequence number broadcast per channel: where a replay starts after a re-admission.
  const lastBroadcast = new Map<string, number>();
  // Suspensions in channels with no broadcast yet in this process: they learn the first one after them.
  const awaitingFirst = new Map<string, Set<{ firstSeq?: number }>>();
  const writer = new MessageWriter(service.conn, {
    onStored: ({ message, parent }: StoredMessage) => {
      lastBroadcast.set(message.channelId, message.seq);
      for (const marker of awaitingFirst.get(message.channelId) ?? []) marker.firstSeq ??= message.seq;
      emit(channelRoom(message.channelId), 'message:new', message);
      emit(activityRoom(message.channelId), 'channel:activity', {
        channelId: message.channelId,
        seq: message.seq,
        authorId: message.authorId,
        parentId: message.parentId,
        at: message.createdAt,
      });
      if (parent) emit(channelRoom(parent.channelId), 'message:updated', parent);
    },
    onListenerError: (error) =>
      logger.error({ err: error }, 'channels: broadcasting a stored message failed'),
  });
  const reads = new ReadPositionAdvancer(service, logger);

  const stateOf = (socket: ChannelSocket): SocketChannels =>
    (dataOf(socket).channels ??= {
      contexts: new Map(),
      joined: new Set(),
      watched: new Set(),
      sending: Promise.resolve(),
    });

  /** A resolver that remembers each channel's context on the socket. */
  const resolverFor =
    (socket: ChannelSocket) =>
    async (actor: Actor, channelId: string): Promise<ChannelContext | null> => {
      const state = stateOf(socket);
      const cached = state.contexts.get(channelId);
      if (cached) return cached;
      const context = await service.resolve(actor, channelId);
      if (context) state.contexts.set(channelId, context);
      return context;
    };

  const onlineIn = (channelId: string): string[] => {
    const ids = io.sockets.adapter.rooms.get(channelRoom(channelId));
    const users = new Set<string>();
    for (const id of ids ?? []) {
      const socket = io.sockets.sockets.get(id);
      const user = socket ? dataOf(socket).user : undefined;
      if (user) users.add(user.id);
    }
    return [...users];
  };
  const announcePresence = (channelId: string) =>
    emit(channelRoom(channelId), 'presence', { channelId, online: onlineIn(channelId) });

  const handlers: { [E in ClientEventName]: Handler<E> } = {
    'channels:list': async (payload, _socket, actor) => {
      const result =
        'spaceId' in payload
          ? await service.listSpaceChannels(actor, payload.spaceId)
          : await service.listNetworkChannels(actor);
      return result.ok ? { ok: true, channels: result.value } : result;
    },

    'channels:watch': async ({ channelIds }, socket, actor) => {
      const state = stateOf(socket);
      const resolve = resolverFor(socket);
      const watched: string[] = [];
      const denied: string[] = [];
      for (const channelId of new Set(channelIds)) {
        const context = await resolve(actor, channelId);
        if (context?.access.read) watched.push(channelId);
        else denied.push(channelId);
      }
      for (const channelId of state.watched) {
        if (!watched.includes(channelId)) void socket.leave(activityRoom(channelId));
      }
      state.watched = new Set(watched);
      for (const channelId of watched) void socket.join(activityRoom(channelId));
      return { ok: true, watched, denied };
    },

    'channel:join': async ({ channelId }, socket, actor) => {
      const found = await service.readable(actor, channelId, resolverFor(socket));
      if (!found.ok) return found;
      const state = stateOf(socket);
      state.joined.add(channelId);
      await socket.join(channelRoom(channelId));
      announcePresence(channelId);
      // The context's channel record may be old: the summary needs the current last sequence number.
      const channel = (await service.channelById(channelId)) ?? found.value.channel;
      const summary = await service.summaryOf(actor, { channel, access: found.value.access });
      return { ok: true, channel: summary, online: onlineIn(channelId) };
    },

    'channel:leave': ({ channelId }, socket) => {
      const state = stateOf(socket);
      if (state.joined.delete(channelId)) {
        void socket.leave(channelRoom(channelId));
        announcePresence(channelId);
      }
      return Promise.resolve({ ok: true });
    },

    'direct:open': async ({ userIds }, _socket, actor) => {
      const result = await service.openDirect(actor, userIds);
      if (!result.ok) return result;
      // The other people learn about it on their own sockets (their lists gain the conversation).
      const { readSeq: _r, unread: _u, canWrite: _w, canModerate: _m, ...channel } = result.value;
      for (const id of channel.memberIds)
        if (id !== actor.userId) emit(userRoom(id), 'channel:updated', channel);
      return { ok: true, channel: result.value };
    },

    'history:page': async (query, socket, actor) => {
      const result = await service.history(actor, query, resolverFor(socket));
      return result.ok ? { ok: true, ...result.value } : result;
    },

    'message:send': async (payload, socket, actor) => {
      const state = stateOf(socket);
      // The checks before the writer are asynchronous and may take different times: a socket's sends go
      // through them one after the other, so they reach the writer (and get their order) as they arrived.
      const queued = state.sending.then(async () => {
        const context = await resolverFor(socket)(actor, payload.channelId);
        if (context === null) return failure('not_found', 'no such channel');
        const prepared = await service.prepareMessage(actor, context, payload);
        if (!prepared.ok) return prepared;
        // Wrapped, so that the queue moves on once the message is in the writer, not once it is stored.
        return { ok: true as const, stored: writer.send(prepared.value) };
      });
      state.sending = queued.then(
        () => undefined,
        () => undefined,
      );
      const entered = await queued;
      if (!entered.ok) return entered;
      const stored = await entered.stored;
      if (stored.message.channelId !== payload.channelId) {
        return failure('conflict', 'clientId: already used for a message in another channel');
      }
      if (!stored.duplicate) reads.advance(actor.userId, payload.channelId, stored.message.seq);
      return { ok: true, message: stored.message, duplicate: stored.duplicate };
    },

    'message:edit': async ({ messageId, body }, socket, actor) => {
      const result = await service.editMessage(actor, messageId, body, resolverFor(socket));
      if (!result.ok) return result;
      emit(channelRoom(result.value.channelId), 'message:updated', result.value);
      return { ok: true, message: result.value };
    },

    'message:delete': async ({ messageId }, socket, actor) => {
      const result = await service.deleteMessage(actor, messageId, resolverFor(socket));
      if (!result.ok) return result;
      emit(channelRoom(result.value.channelId), 'message:updated', result.value);
      return { ok: true, message: result.value };
    },

    'reaction:add': async ({ messageId, emoji }, socket, actor) =>
      reaction(socket, actor, messageId, emoji, true),
    'reaction:remove': async ({ messageId, emoji }, socket, actor) =>
      reaction(socket, actor, messageId, emoji, false),

    'read:mark': async ({ channelId, seq }, socket, actor) => {
      const result = await service.markRead(actor, channelId, seq, resolverFor(socket));
      if (!result.ok) return result;
      const update = { channelId, ...result.value };
      // The person's other tabs and devices move their badge too.
      socket.to(userRoom(actor.userId)).emit('read:updated', update);
      return { ok: true, ...update };
    },

    typing: async ({ channelId, parentId }, socket, actor) => {
      const state = stateOf(socket);
      const context = state.joined.has(channelId) ? state.contexts.get(channelId) : undefined;
      if (!context?.access.write) return failure('forbidden', 'join a channel you may write in first');
      const until = new Date(Date.now() + CHANNEL_LIMITS.typingTtlMs).toISOString();
      socket.to(channelRoom(channelId)).emit('typing', {
        channelId,
        userId: actor.userId,
        name: actor.name,
        parentId: parentId ?? null,
        until,
      });
      return Promise.resolve({ ok: true });
    },
  };

  async function reaction(
    socket: ChannelSocket,
    actor: Actor,
    messageId: string,
    emoji: string,
    add: boolean,
  ) {
    const result = await service.react(actor, messageId, emoji, add, resolverFor(socket));
    if (!result.ok) return result;
    emit(channelRoom(result.value.channelId), 'message:updated', result.value);
    return { ok: true as const, message: result.value };
  }

  function listen<E extends ClientEventName>(socket: ChannelSocket, event: E): void {
    const name: string = event;
    socket.on(name, (raw: unknown, maybeAck: unknown) => {
      const ack =
        typeof maybeAck === 'function'
          ? (maybeAck as (result: unknown) => void)
          : (result: { ok: boolean; error?: ChannelError }) => {
              if (!result.ok && result.error) socket.emit('channel:error', { ...result.error, event });
            };
      const user = dataOf(socket).user;
      if (!user) return ack(failure('unauthenticated', 'sign in first'));
      const limiter = SIGNAL_EVENTS.has(event)
        ? signalLimiter
        : event === 'message:send'
          ? sendLimiter
          : signalLimiter;
      const wait = limiter.take(user.id);
      if (wait > 0) {
        const error = failure('rate_limited', `too many ${event} events: wait ${wait} ms`, wait);
        socket.emit('channel:error', { ...error.error, event });
        return ack(error);
      }
      const parsed = CLIENT_EVENT_SCHEMAS[event].safeParse(raw);
      if (!parsed.success) return ack(failure('invalid', describeIssues(parsed.error)));
      const handler = handlers[event] as Handler<E>;
      handler(parsed.data as ParsedClientPayload<E>, socket, actorOf(user))
        .then(ack)
        .catch((error: unknown) => {
          logger.error({ err: error, event }, 'channels: handling an event failed');
          ack(failure('internal', 'the server could not do this; try again'));
        });
    });
  }

  io.on('connection', (socket: ChannelSocket) => {
    for (const event of Object.keys(handlers) as ClientEventName[]) listen(socket, event);
    socket.on('disconnecting', () => {
      const joined = [...(dataOf(socket).channels?.joined ?? [])];
      // After socket.io has removed it from the rooms.
      setImmediate(() => {
        for (const channelId of joined) announcePresence(channelId);
      });
    });
  });

  /**
   * A space access change: the people concerned leave that space's rooms at once (no message reaches
   * them after this), then those the re-check still allows come back and get what they missed.
   */
  const onAccessChange = (change: AccessChange) => {
    for (const socket of io.sockets.sockets.values()) {
      const user = dataOf(socket).user;
      const state = dataOf(socket).channels;
      if (!user || !state) continue;
      if (change.userIds !== 'all' && !change.userIds.includes(user.id)) continue;
      const affected = [...state.contexts.values()].filter(
        (c) => c.channel.spaceId?.toHexString() === change.spaceId,
      );
      if (affected.length === 0) continue;
      const suspended = affected.map((context) => {
        const channelId = context.channel._id.toHexString();
        state.contexts.delete(channelId);
        const wasJoined = state.joined.has(channelId);
        const wasWatched = state.watched.has(channelId);
        // 'all' (archive, organisation changes) re-checks without dropping first: nobody is removed by
        // archiving, and dropping a whole space's members for a moment would cost every one of them a replay.
        if (change.userIds !== 'all') {
          void socket.leave(channelRoom(channelId));
          void socket.leave(activityRoom(channelId));
        }
        const last = lastBroadcast.get(channelId);
        const marker: { firstSeq?: number } = {};
        if (last === undefined) {
          let markers = awaitingFirst.get(channelId);
          if (!markers) awaitingFirst.set(channelId, (markers = new Set()));
          markers.add(marker);
        }
        // Replay from the last message this socket could have had: known now, or learnt from the next one.
        const before = () => {
          awaitingFirst.get(channelId)?.delete(marker);
          if (awaitingFirst.get(channelId)?.size === 0) awaitingFirst.delete(channelId);
          return last ?? (marker.firstSeq !== undefined ? marker.firstSeq - 1 : undefined);
        };
        return { channelId, wasJoined, wasWatched, before };
      });
      void recheck(socket, actorOf(user), suspended, change.userIds !== 'all').catch((error: unknown) => {
        logger.error({ err: error }, 'channels: re-checking access failed');
      });
    }
  };

  async function recheck(
    socket: ChannelSocket,
    actor: Actor,
    channels: {
      channelId: string;
      wasJoined: boolean;
      wasWatched: boolean;
      before: () => number | undefined;
    }[],
    dropped: boolean,
  ): Promise<void> {
    const state = stateOf(socket);
    for (const { channelId, wasJoined, wasWatched, before } of channels) {
      const context = await service.resolve(actor, channelId);
      if (!context?.access.read) {
        before();
        state.joined.delete(channelId);
        state.watched.delete(channelId);
        void socket.leave(channelRoom(channelId));
        void socket.leave(activityRoom(channelId));
        socket.emit('channel:access-lost', { channelId });
        if (wasJoined) announcePresence(channelId);
        continue;
      }
      state.contexts.set(channelId, context);
      if (!dropped) {
        before();
        continue;
      }
      if (wasWatched) void socket.join(activityRoom(channelId));
      if (wasJoined) {
        await socket.join(channelRoom(channelId));
        const after = before();
        if (after !== undefined) await replay(socket, actor, channelId, after);
      } else before();
    }
  }

  /** Sends a re-admitted socket the messages stored while it was out of the room. */
  async function replay(socket: ChannelSocket, actor: Actor, channelId: string, afterSeq: number) {
    const page = await service.history(actor, {
      channelId,
      after: afterSeq,
      limit: CHANNEL_LIMITS.historyPageMax,
    });
    if (!page.ok) return;
    for (const message of page.value.messages) socket.emit('message:new', message);
  }

  const unsubscribe = options.onSpaceAccessChange?.(onAccessChange);

  return {
    writer,
    settled: () => reads.settled(),
    close: () => {
      clearInterval(sweep);
      unsubscribe?.();
    },
  };
}

function actorOf(user: SessionUser): Actor & { name: string } {
  return { userId: user.id, networkRole: user.networkRole, disabled: user.disabled, name: user.name };
}
