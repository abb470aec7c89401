/**
 * Single-use tokens for links sent by mail or printed by the CLI: set a password, reset it, accept an
 * invitation, confirm an email.
 *
 * - 160 random bits, base32 lower case without padding (32 characters), like session tokens.
 * - Only the SHA-256 is stored, as the document's `_id`: reading the database opens no link.
 * - Single use: using a token deletes its document in the same `findOneAndDelete` that finds it, so of two
 *   concurrent uses exactly one gets the document. The filter includes the purpose and the expiry, so a token
 *   of another purpose or an expired one is refused and left as it was.
 * - Expiry per purpose (`ONE_TIME_TOKEN_TTL_MS`), enforced on use and cleaned up by a TTL index.
 */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';
import type { OneTimeTokenPurpose } from '../models/index.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { generateSessionToken, sessionIdFromToken } from './sessions.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** How long each kind of link works (documented in docs/accounts.md). */
export const ONE_TIME_TOKEN_TTL_MS = {
  /** A link printed by the CLI or sent to a person created without a password. */
  'set-password': 7 * DAY_MS,
  /** Short: whoever holds the mailbox for an hour could otherwise take the account later. */
  'password-reset': 1 * HOUR_MS,
  invitation: 14 * DAY_MS,
  'email-confirmation': 2 * DAY_MS,
} as const satisfies Record<OneTimeTokenPurpose, number>;

/** Same shape as session tokens: 20 bytes in base32 are exactly 32 characters of [a-z2-7]. */
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

export interface OneTimeTokenSubject {
  userId?: string | Types.ObjectId | null;
  invitationId?: string | Types.ObjectId | null;
}

export interface IssuedToken {
  /** The secret for the link; never stored. */
  token: string;
  expiresAt: Date;
}

export interface UsedToken {
  purpose: OneTimeTokenPurpose;
  userId: string | null;
  invitationId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface OneTimeTokenOptions {
  clock?: Clock;
}

/** The stored id for a token (SHA-256, lower-case hex), or null for anything not shaped like one. */
export function oneTimeTokenId(token: unknown): string | null {
  return typeof token === 'string' && TOKEN_PATTERN.test(token) ? sessionIdFromToken(token) : null;
}

function toObjectId(id: string | Types.ObjectId | null | undefined): Types.ObjectId | null {
  return id === null || id === undefined ? null : new Types.ObjectId(String(id));
}

export async function issueOneTimeToken(
  conn: Connection,
  purpose: OneTimeTokenPurpose,
  subject: OneTimeTokenSubject,
  options: OneTimeTokenOptions = {},
): Promise<IssuedToken> {
  const now = (options.clock ?? systemClock)();
  const token = generateSessionToken();
  const expiresAt = new Date(now + ONE_TIME_TOKEN_TTL_MS[purpose]);
  await models(conn).OneTimeToken.create({
    _id: sessionIdFromToken(token),
    purpose,
    userId: toObjectId(subject.userId),
    invitationId: toObjectId(subject.invitationId),
    createdAt: new Date(now),
    expiresAt,
  });
  return { token, expiresAt };
}

type StoredToken = {
  purpose: string;
  userId?: Types.ObjectId | null;
  invitationId?: Types.ObjectId | null;
  createdAt: Date;
  expiresAt: Date;
};

function used(doc: StoredToken): UsedToken {
  return {
    purpose: doc.purpose as OneTimeTokenPurpose,
    userId: doc.userId?.toHexString() ?? null,
    invitationId: doc.invitationId?.toHexString() ?? null,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
  };
}

/**
 * Uses a token: returns what it was issued for and deletes it, atomically, or null if it is malformed,
 * unknown, already used, revoked, expired or of another purpose. Never throws on a bad token.
 */
export async function consumeOneTimeToken(
  conn: Connection,
  token: unknown,
  purpose: OneTimeTokenPurpose,
  options: OneTimeTokenOptions = {},
): Promise<UsedToken | null> {
  const id = oneTimeTokenId(token);
  if (id === null) return null;
  const now = new Date((options.clock ?? systemClock)());
  const doc = await models(conn)
    .OneTimeToken.findOneAndDelete({ _id: id, purpose, expiresAt: { $gt: now } })
    .lean();
  return doc === null ? null : used(doc);
}

/**
 * What a token would open, without using it (a page showing "you are invited by…" before the form is sent).
 * Null in the same cases as `consumeOneTimeToken`.
 */
export async function peekOneTimeToken(
  conn: Connection,
  token: unknown,
  purpose: OneTimeTokenPurpose,
  options: OneTimeTokenOptions = {},
): Promise<UsedToken | null> {
  const id = oneTimeTokenId(token);
  if (id === null) return null;
  const now = new Date((options.clock ?? systemClock)());
  const doc = await models(conn)
    .OneTimeToken.findOne({ _id: id, purpose, expiresAt: { $gt: now } })
    .lean();
  return doc === null ? null : used(doc);
}

/** Revokes one token. Returns whether it existed. */
export async function revokeOneTimeToken(conn: Connection, token: unknown): Promise<boolean> {
  const id = oneTimeTokenId(token);
  if (id === null) return false;
  const result = await models(conn).OneTimeToken.deleteOne({ _id: id });
  return result.deletedCount > 0;
}

/**
 * Revokes every outstanding token of a person (optionally of one purpose) or of an invitation: a new link
 * replaces the old ones, and a used reset link takes its siblings with it. Returns how many were revoked.
 */
export async function revokeOneTimeTokens(
  conn: Connection,
  subject:
    | { userId: string | Types.ObjectId; purpose?: OneTimeTokenPurpose }
    | { invitationId: string | Types.ObjectId },
): Promise<number> {
  const filter =
    'invitationId' in subject
      ? { invitationId: new Types.ObjectId(String(subject.invitationId)) }
      : {
          userId: new Types.ObjectId(String(subject.userId)),
          ...(subject.purpose === undefined ? {} : { purpose: subject.purpose }),
        };
  const result = await models(conn).OneTimeToken.deleteMany(filter);
  return result.deletedCount;
}
