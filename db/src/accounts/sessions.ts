/**
 * Sessions, after the Lucia guide ("Basic API"), written with @oslojs/crypto and @oslojs/encoding.
 *
 * - The token (in the cookie) is 20 random bytes (160 bits), base32 lower case without padding: 32 characters.
 * - Only its SHA-256 is stored, as the session's `_id`: reading the database does not let anyone sign in.
 *   Lookup is an `_id` equality match on the hash; the stored id is also compared in constant time.
 * - Inactivity timeout with sliding renewal: a session unused for `idleTimeoutMs` ends; using it when less
 *   than `renewWhenRemainingBelowMs` remains moves its end to now + `idleTimeoutMs` (at most one write per
 *   half period, not one per request), and never past `createdAt` + `absoluteLifetimeMs`, after which
 *   the person signs in again whatever their activity.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import type { Locale, NetworkRole } from '@cope/domain';
import { models } from '../models/index.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { publishSessionRevocation } from './revocations.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every session figure in one place (documented in docs/accounts.md). */
export const SESSION_CONFIG = {
  /** Random bytes in a token: 160 bits. */
  tokenBytes: 20,
  /** A session unused this long ends. */
  idleTimeoutMs: 30 * DAY_MS,
  /** Renew (slide) when less than this remains before the idle timeout: half of it. */
  renewWhenRemainingBelowMs: 15 * DAY_MS,
  /** No session lives longer than this after sign-in, however active. */
  absoluteLifetimeMs: 90 * DAY_MS,
} as const;

/** 20 bytes in base32 without padding are exactly 32 characters of [a-z2-7]. */
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

export interface Session {
  /** SHA-256 of the token, lower-case hex. */
  id: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
}

/** The person behind a valid session: what every capability check and page needs. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  networkRole: NetworkRole;
  disabled: boolean;
  locale: Locale;
  organisationId: string | null;
}

export type SessionValidationResult =
  | { session: Session; user: SessionUser; /** The expiry moved: set the cookie again. */ renewed: boolean }
  | { session: null; user: null; renewed: false };

const INVALID: SessionValidationResult = { session: null, user: null, renewed: false };

export interface SessionOptions {
  clock?: Clock;
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(SESSION_CONFIG.tokenBytes);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** The session id for a token: SHA-256, lower-case hex. */
export function sessionIdFromToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  conn: Connection,
  token: string,
  userId: string | Types.ObjectId,
  options: SessionOptions = {},
): Promise<Session> {
  if (!TOKEN_PATTERN.test(token)) throw new TypeError('Not a session token from generateSessionToken()');
  const now = (options.clock ?? systemClock)();
  const createdAt = new Date(now);
  const expiresAt = new Date(now + SESSION_CONFIG.idleTimeoutMs);
  const id = sessionIdFromToken(token);
  const userObjectId = new Types.ObjectId(String(userId));
  await models(conn).Session.create({ _id: id, userId: userObjectId, createdAt, expiresAt });
  return { id, userId: userObjectId.toHexString(), createdAt, expiresAt };
}

/**
 * The session and person for a cookie's token, or nulls. Ends (deletes) a session found expired or whose
 * account is gone or disabled. Renews it when due; `renewed` then says to send the cookie again.
 * Never throws on a malformed token: anything can arrive in a cookie.
 */
export async function validateSessionToken(
  conn: Connection,
  token: unknown,
  options: SessionOptions = {},
): Promise<SessionValidationResult> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return INVALID;
  const now = (options.clock ?? systemClock)();
  const { Session: SessionModel, User } = models(conn);
  const id = sessionIdFromToken(token);
  const stored = await SessionModel.findById(id).lean();
  if (stored === null) return INVALID;
  if (!constantTimeEqual(decodeHex(stored._id), decodeHex(id))) return INVALID;

  const hardEnd = stored.createdAt.getTime() + SESSION_CONFIG.absoluteLifetimeMs;
  if (now >= stored.expiresAt.getTime() || now >= hardEnd) {
    await SessionModel.deleteOne({ _id: id });
    return INVALID;
  }

  const user = await User.findById(stored.userId).lean();
  if (user === null || user.disabled) {
    await SessionModel.deleteOne({ _id: id });
    return INVALID;
  }

  let expiresAt = stored.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - now < SESSION_CONFIG.renewWhenRemainingBelowMs) {
    const next = Math.min(now + SESSION_CONFIG.idleTimeoutMs, hardEnd);
    if (next > expiresAt.getTime()) {
      expiresAt = new Date(next);
      renewed = true;
      await SessionModel.updateOne({ _id: id }, { $set: { expiresAt } });
    }
  }

  return {
    session: { id, userId: stored.userId.toHexString(), createdAt: stored.createdAt, expiresAt },
    user: {
      id: user._id.toHexString(),
      email: user.email,
      name: user.name,
      networkRole: user.networkRole,
      disabled: user.disabled,
      locale: user.locale,
      organisationId: user.organisationId?.toHexString() ?? null,
    },
    renewed,
  };
}

/** Sign-out: ends one session, and announces it so that the session's live sockets close. */
export async function invalidateSession(conn: Connection, sessionId: string): Promise<void> {
  const ended = await models(conn)
    .Session.findOneAndDelete({ _id: String(sessionId) })
    .lean();
  if (ended !== null) {
    publishSessionRevocation({ userId: ended.userId.toHexString(), sessionIds: [ended._id] });
  }
}

/** Ends every session of a person (password change, disabled account). Returns how many were ended. */
export async function invalidateUserSessions(
  conn: Connection,
  userId: string | Types.ObjectId,
): Promise<number> {
  const id = new Types.ObjectId(String(userId));
  const result = await models(conn).Session.deleteMany({ userId: id });
  // Announced even when none was stored: a live socket must not outlive a password change.
  publishSessionRevocation({ userId: id.toHexString(), sessionIds: 'all' });
  return result.deletedCount;
}
