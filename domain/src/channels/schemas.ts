/** The channels' data as it travels between server and client, as zod schemas and their types. */
import { z } from 'zod';
import { CHANNEL_LIMITS } from './limits.js';

/** Database ids travel as 24 hexadecimal characters (MongoDB ObjectIds). */
export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hexadecimal id');

/**
 * Where a channel lives: in a space (`general` and more), network-wide (`announcements`, `network`), or a
 * direct conversation between two or a few people.
 */
export const CHANNEL_KINDS = ['space', 'network', 'direct'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const channelKindSchema = z.enum(CHANNEL_KINDS);

/** The two network-wide channels, created at start-up. */
export const NETWORK_CHANNELS = ['announcements', 'network'] as const;
export type NetworkChannelName = (typeof NETWORK_CHANNELS)[number];

/** Every space has this channel; it is created the first time the space's channels are listed or joined. */
export const GENERAL_CHANNEL = 'general';

export const channelNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, 'a channel needs a name')
  .max(CHANNEL_LIMITS.channelNameMaxChars)
  .regex(/^[\p{Ll}\p{Lo}\p{N}]+(?:[-_][\p{Ll}\p{Lo}\p{N}]+)*$/u, 'letters and digits joined by - or _');

/** A client-generated message id: makes a retried send idempotent. */
export const clientIdSchema = z
  .string()
  .min(8)
  .max(CHANNEL_LIMITS.clientIdMaxChars)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');

export const messageBodySchema = z
  .string()
  .max(CHANNEL_LIMITS.messageMaxChars, `at most ${CHANNEL_LIMITS.messageMaxChars} characters`)
  .refine((body) => body.trim().length > 0, 'a message cannot be empty');

/** One emoji (with its modifiers and joiners), nothing else: reactions are not a side channel for text. */
export const emojiSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(
    /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200D|\uFE0F|\u20E3|[#*0-9])+$/u,
    'one emoji',
  )
  .refine((s) => /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(s), 'one emoji');

export const MENTION_KINDS = ['person', 'organisation'] as const;
export type MentionKind = (typeof MENTION_KINDS)[number];

export const mentionSchema = z.object({
  kind: z.enum(MENTION_KINDS),
  id: objectIdSchema,
  /** The name when the message was sent (the person's or organisation's current name may differ). */
  name: z.string(),
});
export type Mention = z.infer<typeof mentionSchema>;

export const reactionSchema = z.object({
  emoji: z.string(),
  userIds: z.array(z.string()),
});
export type Reaction = z.infer<typeof reactionSchema>;

export const channelSchema = z.object({
  id: objectIdSchema,
  kind: channelKindSchema,
  /** The space of a `space` channel; null otherwise. */
  spaceId: objectIdSchema.nullable(),
  /** `general`, `announcements`… Empty for direct conversations (the client names them by their members). */
  name: z.string(),
  topic: z.string(),
  /** Limited to `memberIds` (always true for direct conversations). */
  private: z.boolean(),
  /** The people of a private channel or direct conversation; empty otherwise (access follows the space). */
  memberIds: z.array(objectIdSchema),
  /** The sequence number of the newest message (0: none yet). */
  lastSeq: z.number().int().nonnegative(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Channel = z.infer<typeof channelSchema>;

/** A channel as listed for one person: with that person's read position and unread count. */
export const channelSummarySchema = channelSchema.extend({
  readSeq: z.number().int().nonnegative(),
  /** Top-level messages by others after `readSeq` (thread replies do not count). */
  unread: z.number().int().nonnegative(),
  canWrite: z.boolean(),
  canModerate: z.boolean(),
});
export type ChannelSummary = z.infer<typeof channelSummarySchema>;

export const messageSchema = z.object({
  id: objectIdSchema,
  channelId: objectIdSchema,
  /** The server's order in the channel: the same for everyone, gaps possible, never reused. */
  seq: z.number().int().positive(),
  clientId: z.string(),
  authorId: objectIdSchema,
  authorName: z.string(),
  /** Markdown source (the safe subset, rendered by `renderMessageMarkdown`); empty once deleted. */
  body: z.string(),
  mentions: z.array(mentionSchema),
  /** The thread's first message, for a reply; null for a top-level message. */
  parentId: objectIdSchema.nullable(),
  replyCount: z.number().int().nonnegative(),
  lastReplyAt: z.string().nullable(),
  reactions: z.array(reactionSchema),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  /** Set when deleted: the message stays as a tombstone so threads and order keep their shape. */
  deletedAt: z.string().nullable(),
  deletedBy: objectIdSchema.nullable(),
});
export type Message = z.infer<typeof messageSchema>;

/** A search hit: the message and where it was said. */
export const searchHitSchema = z.object({
  message: messageSchema,
  channel: channelSchema,
});
export type SearchHit = z.infer<typeof searchHitSchema>;

/** One page of history: messages in ascending `seq`. */
export const historyPageSchema = z.object({
  messages: z.array(messageSchema),
  /** Older messages exist before the first one of this page. */
  hasOlder: z.boolean(),
  /** Newer messages exist after the last one of this page. */
  hasNewer: z.boolean(),
});
export type HistoryPage = z.infer<typeof historyPageSchema>;

/**
 * Which page of a channel (or of one thread, with `parentId`): the newest, the one `before` or `after` a
 * sequence number, or the one that starts at the person's first unread message.
 */
export const historyQuerySchema = z
  .object({
    channelId: objectIdSchema,
    parentId: objectIdSchema.optional(),
    before: z.coerce.number().int().positive().optional(),
    after: z.coerce.number().int().nonnegative().optional(),
    firstUnread: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(CHANNEL_LIMITS.historyPageMax)
      .default(CHANNEL_LIMITS.historyPageDefault),
  })
  .refine(
    (q) => [q.before, q.after, q.firstUnread || undefined].filter((x) => x !== undefined).length <= 1,
    'use at most one of before, after and firstUnread',
  );
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export const searchQuerySchema = z.object({
  q: z.string().trim().min(1).max(CHANNEL_LIMITS.searchQueryMaxChars),
  /** Limit the search to one channel or one space's channels. */
  channelId: objectIdSchema.optional(),
  spaceId: objectIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(CHANNEL_LIMITS.searchResultsMax).default(20),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

export const createChannelSchema = z.object({
  spaceId: objectIdSchema,
  name: channelNameSchema,
  topic: z.string().trim().max(CHANNEL_LIMITS.channelTopicMaxChars).default(''),
  /** A private channel: only these space members (and its creator) read and write it. */
  private: z.boolean().default(false),
  memberIds: z.array(objectIdSchema).max(CHANNEL_LIMITS.privateMembersMax).default([]),
});
export type CreateChannelInput = z.infer<typeof createChannelSchema>;

export const openDirectSchema = z.object({
  /** The other people; the person opening it is added. The same set of people always gets the same channel. */
  userIds: z
    .array(objectIdSchema)
    .min(1)
    .max(CHANNEL_LIMITS.directMaxMembers - 1),
});
