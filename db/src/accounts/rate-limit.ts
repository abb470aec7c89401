/**
 * Sign-in attempt limiting, per account and per address, stored in MongoDB so a restart does not reset it.
 *
 * Sliding window: a key is locked as soon as it has `maxFailures` failures newer than `windowMs`; the lockout
 * lasts `lockoutMs` from that failure. Each failure is its own document (inserting is atomic, so concurrent
 * attempts cannot lose a count), removed by TTL once it can no longer count. Unknown emails are counted
 * exactly like known ones, so a lockout says nothing about whether an account exists.
 *
 * The address limit is higher than the account one: many people of one organisation may share an address.
 * A successful sign-in clears the account's failures, not the address's (else one valid account would let an
 * address try others without limit).
 */
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';

const MINUTE_MS = 60 * 1000;

export interface RateLimitRule {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

/** Every sign-in limit in one place (documented in docs/accounts.md). */
export const SIGN_IN_LIMITS = {
  account: { maxFailures: 5, windowMs: 15 * MINUTE_MS, lockoutMs: 15 * MINUTE_MS },
  address: { maxFailures: 50, windowMs: 15 * MINUTE_MS, lockoutMs: 15 * MINUTE_MS },
} as const satisfies Record<string, RateLimitRule>;

export type LimitKind = keyof typeof SIGN_IN_LIMITS;

/** The key for an account (by email, lower-cased, known or not) or an address. */
export function rateLimitKey(kind: LimitKind, value: string): string {
  const v = kind === 'account' ? value.trim().toLowerCase() : value.trim();
  return `${kind}:${v.slice(0, 320)}`;
}

export interface LockState {
  locked: boolean;
  /** When the lockout ends; null if not locked. */
  until: Date | null;
}

export interface RateLimitOptions {
  clock?: Clock;
}

/** Whether `key` is locked now. */
export async function lockState(
  conn: Connection,
  key: string,
  options: RateLimitOptions = {},
): Promise<LockState> {
  const now = (options.clock ?? systemClock)();
  const lockout = await models(conn).Lockout.findById(key).lean();
  // The TTL monitor removes past lockouts lazily: the time decides, not the document's presence.
  if (lockout === null || lockout.until.getTime() <= now) return { locked: false, until: null };
  return { locked: true, until: lockout.until };
}

export interface FailureResult {
  /** Failures of this key in the window, this one included. */
  failures: number;
  /** This failure started a lockout (for the audit log's "sign-in failure burst"). */
  lockedNow: boolean;
  state: LockState;
}

/** Records one failed attempt for `key`; locks it when the window holds `rule.maxFailures` failures. */
export async function recordFailure(
  conn: Connection,
  key: string,
  rule: RateLimitRule,
  options: RateLimitOptions = {},
): Promise<FailureResult> {
  const now = (options.clock ?? systemClock)();
  const { LoginFailure, Lockout } = models(conn);
  await LoginFailure.create({ key, at: new Date(now), expiresAt: new Date(now + rule.windowMs) });
  const failures = await LoginFailure.countDocuments({ key, at: { $gt: new Date(now - rule.windowMs) } });
  const before = await lockState(conn, key, options);
  if (failures < rule.maxFailures || before.locked) return { failures, lockedNow: false, state: before };
  const until = new Date(now + rule.lockoutMs);
  await Lockout.updateOne({ _id: key }, { $set: { until } }, { upsert: true });
  // The failures that caused this lockout are spent: after it, the person starts again with a full allowance.
  await LoginFailure.deleteMany({ key, at: { $lte: new Date(now) } });
  return { failures, lockedNow: true, state: { locked: true, until } };
}

/** Forgets the failures of `key` (a successful sign-in to that account). Does not lift a lockout. */
export async function clearFailures(conn: Connection, key: string): Promise<void> {
  await models(conn).LoginFailure.deleteMany({ key });
}

export interface SignInSubject {
  email: string;
  /** The client's address as the server sees it (behind a proxy: the trusted forwarded address). */
  address: string;
}

/** Locked if either the account or the address is; `until` is the later end. */
export async function signInLockState(
  conn: Connection,
  subject: SignInSubject,
  options: RateLimitOptions = {},
): Promise<LockState> {
  const [account, address] = await Promise.all([
    lockState(conn, rateLimitKey('account', subject.email), options),
    lockState(conn, rateLimitKey('address', subject.address), options),
  ]);
  const ends = [account.until, address.until].filter((d): d is Date => d !== null);
  if (ends.length === 0) return { locked: false, until: null };
  return { locked: true, until: new Date(Math.max(...ends.map((d) => d.getTime()))) };
}

/** Counts a failed sign-in against both the account and the address. Returns which of them just locked. */
export async function recordSignInFailure(
  conn: Connection,
  subject: SignInSubject,
  options: RateLimitOptions = {},
): Promise<{ lockedNow: LimitKind[] }> {
  const account = await recordFailure(
    conn,
    rateLimitKey('account', subject.email),
    SIGN_IN_LIMITS.account,
    options,
  );
  const address = await recordFailure(
    conn,
    rateLimitKey('address', subject.address),
    SIGN_IN_LIMITS.address,
    options,
  );
  const lockedNow: LimitKind[] = [];
  if (account.lockedNow) lockedNow.push('account');
  if (address.lockedNow) lockedNow.push('address');
  return { lockedNow };
}

/** After a successful sign-in: the account's earlier failures no longer count. */
export async function recordSignInSuccess(conn: Connection, subject: SignInSubject): Promise<void> {
  await clearFailures(conn, rateLimitKey('account', subject.email));
}
