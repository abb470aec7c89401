/**
 * Forgot-password and set-password links.
 *
 * `requestPasswordReset` answers the same whatever the email: it validates, applies the rate limits, looks
 * the email up, and returns. Issuing the token and sending the mail happen after the answer (`delivery`, a
 * promise the HTTP layer does not wait for), so neither the answer nor its timing says whether an account
 * exists: both paths do the same work (one lookup) before answering.
 *
 * Rate limits reuse the sign-in limiter (`rate-limit.ts`) with keys of their own: every request counts, per
 * email (known or not) and per address; once a key reaches its limit it is refused until the lockout ends.
 *
 * Using a link checks the password policy first (a refused password leaves the link working), then uses the
 * token atomically, sets the password (which ends every session of the person) and audits it.
 */
import type { Connection } from 'mongoose';
import { emailSchema } from '@cope/domain';
import type { Mailer, MailLogger } from '../mail/mailer.js';
import { models } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { consumeOneTimeToken, issueOneTimeToken, revokeOneTimeTokens } from './one-time-tokens.js';
import { checkPasswordPolicy } from './passwords.js';
import type { PasswordProblem } from './passwords.js';
import { lockState } from './rate-limit.js';
import type { RateLimitRule } from './rate-limit.js';
import { countLimitedRequest } from './request-limits.js';
import { setPassword } from './users.js';

const MINUTE_MS = 60 * 1000;

/** Reset requests allowed (documented in docs/accounts.md). */
export const PASSWORD_RESET_LIMITS = {
  /** A few mails per mailbox per hour: enough for a lost mail, too few to flood someone's inbox. */
  account: { maxFailures: 3, windowMs: 60 * MINUTE_MS, lockoutMs: 60 * MINUTE_MS },
  address: { maxFailures: 20, windowMs: 60 * MINUTE_MS, lockoutMs: 60 * MINUTE_MS },
} as const satisfies Record<string, RateLimitRule>;

/** Where set-password links lead (the web app's route takes the token from the last segment). */
export const SET_PASSWORD_PATH = '/set-password/';

function resetKey(kind: 'account' | 'address', value: string): string {
  const v = kind === 'account' ? value.trim().toLowerCase() : value.trim();
  return `passwordReset:${kind}:${v.slice(0, 320)}`;
}

export interface PasswordResetRequest {
  email: unknown;
  /** The client's address, for the per-address limit. */
  address: string;
  /** `ORIGIN`: the link in the mail points there. */
  origin: string;
}

export interface PasswordResetOptions {
  mailer: Pick<Mailer, 'send'>;
  clock?: Clock;
  /** Where a failed delivery is reported (it happens after the answer). */
  logger?: Pick<MailLogger, 'warn'>;
}

export type PasswordResetRequestResult =
  /**
   * Always this for a well-formed email under the limits, registered or not. `delivery` settles once the
   * mail (if any) is handed over; it never rejects. Callers answering a request must not wait for it.
   */
  | { ok: true; delivery: Promise<void> }
  | { ok: false; reason: 'invalidInput' }
  | { ok: false; reason: 'limited'; until: Date };

export async function requestPasswordReset(
  conn: Connection,
  request: PasswordResetRequest,
  options: PasswordResetOptions,
): Promise<PasswordResetRequestResult> {
  const clock = options.clock ?? systemClock;
  const parsed = emailSchema.safeParse(request.email);
  if (!parsed.success) return { ok: false, reason: 'invalidInput' };
  const email = parsed.data;
  const keys = [
    {
      key: resetKey('account', email),
      rule: PASSWORD_RESET_LIMITS.account,
      subject: { kind: 'account', id: email },
    },
    {
      key: resetKey('address', request.address),
      rule: PASSWORD_RESET_LIMITS.address,
      subject: { kind: 'address', id: request.address },
    },
  ];
  const states = await Promise.all(keys.map(({ key }) => lockState(conn, key, { clock })));
  const until = states.flatMap((s) => (s.until === null ? [] : [s.until.getTime()]));
  if (until.length > 0) return { ok: false, reason: 'limited', until: new Date(Math.max(...until)) };
  for (const { key, rule, subject } of keys) {
    await countLimitedRequest(
      conn,
      { key, rule, subject, lockoutAction: 'passwordReset.lockout', details: { address: request.address } },
      { clock },
    );
  }

  const user = await models(conn).User.findOne({ email }).lean();
  if (user === null || user.disabled) return { ok: true, delivery: Promise.resolve() };

  const delivery = (async () => {
    // Start only after the caller has its answer: no part of the mail work delays it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      // One working link at a time: a new request replaces the previous one.
      await revokeOneTimeTokens(conn, { userId: user._id, purpose: 'password-reset' });
      const { token, expiresAt } = await issueOneTimeToken(
        conn,
        'password-reset',
        { userId: user._id },
        { clock },
      );
      await options.mailer.send({
        to: user.email,
        language: user.locale,
        origin: request.origin,
        template: 'password-reset',
        params: { name: user.name, token, expiresAt },
      });
      await recordAudit(
        conn,
        {
          action: 'user.password.resetRequest',
          actorId: null,
          subject: { kind: 'user', id: user._id.toHexString() },
          details: { address: request.address },
        },
        { clock },
      );
    } catch (error) {
      options.logger?.warn(
        { userId: user._id.toHexString(), err: error instanceof Error ? error.message : String(error) },
        'password reset: the mail could not be sent',
      );
    }
  })();
  return { ok: true, delivery };
}

export type PasswordLinkErrorCode = 'invalidInput' | 'invalidToken' | PasswordProblem;

export type PasswordLinkResult =
  | { ok: true; value: { userId: string; endedSessions: number } }
  | { ok: false; code: PasswordLinkErrorCode; message: string };

async function setPasswordFromLink(
  conn: Connection,
  purpose: 'password-reset' | 'set-password',
  token: unknown,
  newPassword: unknown,
  clock: Clock,
): Promise<PasswordLinkResult> {
  if (typeof newPassword !== 'string' || newPassword.length > 10_000) {
    return { ok: false, code: 'invalidInput', message: 'A new password is needed' };
  }
  const policy = checkPasswordPolicy(newPassword);
  if (!policy.ok)
    return { ok: false, code: policy.problem, message: `The password is refused (${policy.problem})` };
  const used = await consumeOneTimeToken(conn, token, purpose, { clock });
  if (used === null || used.userId === null) {
    return { ok: false, code: 'invalidToken', message: 'This link does not work' };
  }
  const user = await models(conn).User.findById(used.userId).lean();
  if (user === null || user.disabled)
    return { ok: false, code: 'invalidToken', message: 'This link does not work' };
  // The person acts on their own account; setPassword ends every session they have.
  const changed = await setPassword(conn, used.userId, newPassword, { actorId: used.userId, clock });
  if (!changed.ok) return { ok: false, code: 'invalidInput', message: changed.message };
  await revokeOneTimeTokens(conn, { userId: used.userId, purpose: 'password-reset' });
  if (purpose === 'set-password') await revokeOneTimeTokens(conn, { userId: used.userId, purpose });
  await recordAudit(
    conn,
    {
      action: purpose === 'password-reset' ? 'user.password.reset' : 'user.password.set',
      actorId: used.userId,
      subject: { kind: 'user', id: used.userId },
      details: { endedSessions: changed.value.endedSessions },
    },
    { clock },
  );
  return { ok: true, value: { userId: used.userId, endedSessions: changed.value.endedSessions } };
}

/** The forgot-password link's form: sets the password, uses the link, ends every session of the person. */
export async function resetPassword(
  conn: Connection,
  token: unknown,
  newPassword: unknown,
  options: { clock?: Clock } = {},
): Promise<PasswordLinkResult> {
  return setPasswordFromLink(conn, 'password-reset', token, newPassword, options.clock ?? systemClock);
}

/** The set-password link's form (accounts created without a password, e.g. by the CLI). */
export async function setPasswordWithLink(
  conn: Connection,
  token: unknown,
  newPassword: unknown,
  options: { clock?: Clock } = {},
): Promise<PasswordLinkResult> {
  return setPasswordFromLink(conn, 'set-password', token, newPassword, options.clock ?? systemClock);
}

/**
 * A one-time link for a person to set their password: `<origin>/set-password/<token>`, valid 7 days.
 * Earlier set-password links of that person stop working.
 */
export async function createSetPasswordLink(
  conn: Connection,
  userId: string,
  origin: string,
  options: { clock?: Clock } = {},
): Promise<{ link: string; expiresAt: Date }> {
  await revokeOneTimeTokens(conn, { userId, purpose: 'set-password' });
  const { token, expiresAt } = await issueOneTimeToken(conn, 'set-password', { userId }, options);
  const base = new URL(origin).origin;
  return { link: `${base}${SET_PASSWORD_PATH}${token}`, expiresAt };
}
