/**
 * Sign-in by email and password: the rate limits, the constant work on unknown emails, the new session and
 * the audit of lockouts, in one place, so the HTTP API and any other entry point behave the same.
 *
 * The answer is the same ("invalid") for an unknown email, a wrong password, an account without a password
 * yet, an affiliate's address not yet confirmed and a disabled account, and each costs one argon2
 * verification, so neither the answer nor its timing tells whether an email is registered.
 */
import type { Connection } from 'mongoose';
import { signInSchema } from '@cope/domain';
import { models } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { recordSignInFailure, recordSignInSuccess, signInLockState } from './rate-limit.js';
import { createSession, generateSessionToken } from './sessions.js';
import type { Session } from './sessions.js';

export interface SignInAttempt {
  email: unknown;
  password: unknown;
  /** The client's address, for the per-address limit. */
  address: string;
}

export type SignInResult =
  | { ok: true; token: string; session: Session; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; until: Date };

export async function signIn(
  conn: Connection,
  attempt: SignInAttempt,
  options: { clock?: Clock } = {},
): Promise<SignInResult> {
  const clock = options.clock ?? systemClock;
  const parsed = signInSchema.safeParse({ email: attempt.email, password: attempt.password });
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password } = parsed.data;
  const subject = { email, address: attempt.address };

  const lock = await signInLockState(conn, subject, { clock });
  if (lock.locked && lock.until !== null) return { ok: false, reason: 'locked', until: lock.until };

  const user = await models(conn).User.findOne({ email }).lean();
  const verified =
    user !== null && user.passwordHash !== null && user.passwordHash !== undefined
      ? await verifyPassword(user.passwordHash, password)
      : await verifyAgainstDummy(password);

  // An affiliate who has not confirmed their address yet is refused like a wrong password (no hint).
  if (!verified || user === null || user.disabled || user.emailConfirmedAt === null) {
    const { lockedNow } = await recordSignInFailure(conn, subject, { clock });
    for (const kind of lockedNow) {
      await recordAudit(
        conn,
        {
          action: 'signIn.lockout',
          actorId: null,
          subject: { kind, id: kind === 'account' ? email : attempt.address },
          details: { address: attempt.address },
        },
        { clock },
      );
    }
    if (lockedNow.length > 0) {
      const now = await signInLockState(conn, subject, { clock });
      if (now.until !== null) return { ok: false, reason: 'locked', until: now.until };
    }
    return { ok: false, reason: 'invalid' };
  }

  await recordSignInSuccess(conn, subject);
  const token = generateSessionToken();
  const session = await createSession(conn, token, user._id, { clock });
  return { ok: true, token, session, userId: user._id.toHexString() };
}
