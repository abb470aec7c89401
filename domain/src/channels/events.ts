/**
 * The socket.io event contract of the channels: every event name, its payload schema and its
 * acknowledgement. The server validates each payload with these schemas; the client is typed by them.
 *
 * Client to server events carry a payload and an acknowledgement callback; the acknowledgement is
 * `{ ok: true, ... }` or `{ ok: false, error: { code, message, retryAfterMs? } }`. Server to client
 * events carry one payload and no acknowledgement.
 */
import { z } from 'zod';
import type { Ack, ChannelError } from './errors.js';
import {
  clientIdSchema,
  emojiSchema,
  historyQuerySchema,
  messageBodySchema,
  objectIdSchema,
  openDirectSchema,
  type Channel,
  type ChannelSummary,
  type HistoryPage,
  type Message,
} from './schemas.js';
import { CHANNEL_LIMITS } from './limits.js';

export const channelRefSchema = z.object({ channelId: objectIdSchema });

/** Client to server: payload schemas. */
export const CLIENT_EVENT_SCHEMAS = {
  /** The channels one may read in a space (`spaceId`) or network-wide plus one's direct conversations. */
  'channels:list': z.union([z.object({ spaceId: objectIdSchema }), z.object({ network: z.literal(true) })]),
  /**
   * Follow channels' activity (for unread badges) without their content: `channel:activity` events for
   * each channel one may read. Replaces the previous set.
   */
  'channels:watch': z.object({ channelIds: z.array(objectIdSchema).max(500) }),
  /** Open a channel: its messages, typing and presence arrive until `channel:leave`. */
  'channel:join': channelRefSchema,
  'channel:leave': channelRefSchema,
  'direct:open': openDirectSchema,
  'history:page': historyQuerySchema,
  'message:send': z.object({
    channelId: objectIdSchema,
    clientId: clientIdSchema,
    body: messageBodySchema,
    parentId: objectIdSchema.nullish(),
  }),
  'message:edit': z.object({ messageId: objectIdSchema, body: messageBodySchema }),
  'message:delete': z.object({ messageId: objectIdSchema }),
  'reaction:add': z.object({ messageId: objectIdSchema, emoji: emojiSchema }),
  'reaction:remove': z.object({ messageId: objectIdSchema, emoji: emojiSchema }),
  /** Everything up to `seq` has been read; the position only moves forward. */
  'read:mark': z.object({ channelId: objectIdSchema, seq: z.number().int().nonnegative() }),
  /** The person is typing in the channel (or in a thread, with `parentId`); lasts typingTtlMs. */
  typing: z.object({ channelId: objectIdSchema, parentId: objectIdSchema.nullish() }),
} as const;

export type ClientEventName = keyof typeof CLIENT_EVENT_SCHEMAS;
export type ClientPayload<E extends ClientEventName> = z.input<(typeof CLIENT_EVENT_SCHEMAS)[E]>;
export type ParsedClientPayload<E extends ClientEventName> = z.output<(typeof CLIENT_EVENT_SCHEMAS)[E]>;

/** What each client event's acknowledgement carries on success. */
export interface ClientAckResults {
  'channels:list': { channels: ChannelSummary[] };
  'channels:watch': { watched: string[]; denied: string[] };
  'channel:join': { channel: ChannelSummary; online: string[] };
  'channel:leave': object;
  'direct:open': { channel: ChannelSummary };
  'history:page': HistoryPage;
  /** `duplicate`: this client id had been stored before (a retry); `message` is the stored one. */
  'message:send': { message: Message; duplicate: boolean };
  'message:edit': { message: Message };
  'message:delete': { message: Message };
  'reaction:add': { message: Message };
  'reaction:remove': { message: Message };
  'read:mark': { channelId: string; readSeq: number; unread: number };
  typing: object;
}

export type ClientAck<E extends ClientEventName> = Ack<ClientAckResults[E]>;

/** Server to client events and their payloads. */
export interface ServerEvents {
  /** A new message in a joined channel (thread replies included: check `parentId`). */
  'message:new': Message;
  /** A message changed: edited, deleted (tombstone), a reaction, or its thread's reply count. */
  'message:updated': Message;
  /** A new message in a watched channel: enough for the unread badge. */
  'channel:activity': {
    channelId: string;
    seq: number;
    authorId: string;
    parentId: string | null;
    at: string;
  };
  /** Someone is typing in a joined channel. */
  typing: { channelId: string; userId: string; name: string; parentId: string | null; until: string };
  /** Who is online in a joined channel (people with at least one socket in it). */
  presence: { channelId: string; online: string[] };
  /** One's own read position moved (from this or another tab or device). */
  'read:updated': { channelId: string; readSeq: number; unread: number };
  /** Access to the channel was lost (removed from the space or the channel): it is left at once. */
  'channel:access-lost': { channelId: string };
  /** A channel was created or changed that one may now read (e.g. a direct conversation opened by someone). */
  'channel:updated': Channel;
  /** An event without acknowledgement (or refused before reaching its handler, e.g. rate limits) failed. */
  'channel:error': ChannelError & { event: string };
}

export type ServerEventName = keyof ServerEvents;

/** The socket.io type parameters for the server and client (`Server<ClientToServer, ServerToClient>`). */
export type ClientToServerEvents = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (result: ClientAck<E>) => void) => void;
};
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerEvents[E]) => void };

/** Emitted once when the session behind a socket ends (auth feature), then the socket is disconnected. */
export const SESSION_ENDED_EVENT = 'session:ended';

export const CLIENT_EVENT_NAMES = Object.keys(CLIENT_EVENT_SCHEMAS) as ClientEventName[];

/** Human-readable reason of a zod failure, naming the first offending field. */
export function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid payload';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return `${where}: ${issue.message}`;
}

export { CHANNEL_LIMITS };
