/**
 * Affiliates sign themselves up for the network's news: name, email, password, language. The account is
 * created unconfirmed (`emailConfirmedAt: null`, which sign-in refuses) and a single-use link is mailed; the
 * link confirms the address and signs the person in.
 *
 * The answer never says whether the email is registered. Every well-formed request under the limits does the
 * same work before answering (the limits, one lookup, one argon2 hash) and gets the same answer; what differs
 * happens after the answer (`delivery`, which the HTTP layer does not wait for):
 * - a new address: the account is created and the confirmation link mailed, in the chosen language;
 * - an address that signed up and never confirmed: a fresh link is mailed (the password is not changed);
 * - an address with an account: its owner is mailed that someone tried, in their own language, and nothing
 *   is created or changed;
 * - a disabled account: nothing.
 *
 * Rate limits are the password-reset ones (per email, known or not, and per address), with keys of their
 * own; reaching one is a "failure burst" kept in the audit log.
 */
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { emailSchema, localeSchema, nameSchema } from '@cope/domain';
import type { Locale } from '@cope/domain';
import type { Mailer, MailLogger } from '../mail/mailer.js';
import { models } from '../models/index.js';
import { isDuplicateKeyError } from '../mongo-errors.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { consumeOneTimeToken, issueOneTimeToken, revokeOneTimeTokens } from './one-time-tokens.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import type { PasswordProblem } from './passwords.js';
import { PASSWORD_RESET_LIMITS } from './password-reset.js';
import { lockState } from './rate-limit.js';
import { countLimitedRequest } from './request-limits.js';
import type { RateLimitRule } from './rate-limit.js';
import { createSession, generateSessionToken } from './sessions.js';
import type { Session } from './sessions.js';

/** The same allowance as password reset: a few mails per mailbox per hour, more per address. */
export const AFFILIATE_SIGN_UP_LIMITS = {
  account: PASSWORD_RESET_LIMITS.account,
  address: PASSWORD_RESET_LIMITS.address,
} as const satisfies Record<string, RateLimitRule>;

export const affiliateSignUpSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  password: z.string().max(10_000),
  locale: localeSchema,
});

export type AffiliateSignUpField = keyof z.input<typeof affiliateSignUpSchema>;

/** Why a field was refused: `required`, `invalid`, or the password policy's reason. */
export type AffiliateFieldProblem = 'required' | 'invalid' | PasswordProblem;

export interface AffiliateSignUpRequest {
  name: unknown;
  email: unknown;
  password: unknown;
  locale: unknown;
  /** The client's address, for the per-address limit. */
  address: string;
  /** `ORIGIN`: the link in the mail points there. */
  origin: string;
}

export interface AffiliateSignUpOptions {
  mailer: Pick<Mailer, 'send'>;
  clock?: Clock;
  /** Where a failed delivery is reported (it happens after the answer). */
  logger?: Pick<MailLogger, 'warn'>;
}

export type AffiliateSignUpResult =
  /** The same for every well-formed request under the limits. `delivery` never rejects; do not wait for it. */
  | { ok: true; delivery: Promise<void> }
  | {
      ok: false;
      reason: 'invalidInput';
      fields: Partial<Record<AffiliateSignUpField, AffiliateFieldProblem>>;
    }
  | { ok: false; reason: 'limited'; until: Date };

function signUpKey(kind: 'account' | 'address', value: string): string {
  const v = kind === 'account' ? value.trim().toLowerCase() : value.trim();
  return `affiliateSignUp:${kind}:${v.slice(0, 320)}`;
}

function fieldProblems(
  request: AffiliateSignUpRequest,
): Partial<Record<AffiliateSignUpField, AffiliateFieldProblem>> {
  const fields: Partial<Record<AffiliateSignUpField, AffiliateFieldProblem>> = {};
  const blank = (v: unknown) => typeof v !== 'string' || v.trim() === '';
  if (blank(request.name)) fields.name = 'required';
  else if (!nameSchema.safeParse(request.name).success) fields.name = 'invalid';
  if (blank(request.email)) fields.email = 'required';
  else if (!emailSchema.safeParse(request.email).success) fields.email = 'invalid';
  if (typeof request.password !== 'string' || request.password === '') fields.password = 'required';
  else {
    const policy = checkPasswordPolicy(request.password);
    if (!policy.ok) fields.password = policy.problem;
  }
  if (!localeSchema.safeParse(request.locale).success) fields.locale = 'invalid';
  return fields;
}

export async function signUpAffiliate(
  conn: Connection,
  request: AffiliateSignUpRequest,
  options: AffiliateSignUpOptions,
): Promise<AffiliateSignUpResult> {
  const clock = options.clock ?? systemClock;
  const fields = fieldProblems(request);
  const parsed = affiliateSignUpSchema.safeParse(request);
  if (Object.keys(fields).length > 0 || !parsed.success) {
    return {
      ok: false,
      reason: 'invalidInput',
      fields: Object.keys(fields).length > 0 ? fields : { email: 'invalid' },
    };
  }
  const { name, email, password, locale } = parsed.data;

  const keys = [
    { kind: 'account' as const, key: signUpKey('account', email), rule: AFFILIATE_SIGN_UP_LIMITS.account },
    {
      kind: 'address' as const,
      key: signUpKey('address', request.address),
      rule: AFFILIATE_SIGN_UP_LIMITS.address,
    },
  ];
  const states = await Promise.all(keys.map(({ key }) => lockState(conn, key, { clock })));
  const until = states.flatMap((s) => (s.until === null ? [] : [s.until.getTime()]));
  if (until.length > 0) return { ok: false, reason: 'limited', until: new Date(Math.max(...until)) };
  for (const { kind, key, rule } of keys) {
    await countLimitedRequest(
      conn,
      {
        key,
        rule,
        lockoutAction: 'affiliate.signUp.lockout',
        subject: { kind, id: kind === 'account' ? email : request.address },
        details: { address: request.address },
      },
      { clock },
    );
  }

  const existing = await models(conn).User.findOne({ email }).lean();
  // Hashed whether or not the account is created, so both answers cost the same.
  const passwordHash = await hashPassword(password);

  const delivery = (async () => {
    // Start only after the caller has its answer: no part of the mail work delays it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      if (existing === null) {
        const created = await createUnconfirmedAffiliate(conn, { name, email, locale, passwordHash }, clock);
        if (created !== null) {
          await mailConfirmation(conn, { id: created, name, email, locale }, request, options, clock);
          return;
        }
        // Someone else signed up with this address a moment ago: treat it as the existing account.
        const now = await models(conn).User.findOne({ email }).lean();
        if (now !== null) await mailExisting(conn, now, request, options, clock);
        return;
      }
      if (existing.disabled) return;
      if (existing.emailConfirmedAt === null) {
        await mailConfirmation(
          conn,
          { id: existing._id.toHexString(), name: existing.name, email, locale: existing.locale },
          request,
          options,
          clock,
        );
        return;
      }
      await mailExisting(conn, existing, request, options, clock);
    } catch (error) {
      options.logger?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'affiliate sign-up: the mail could not be sent',
      );
    }
  })();
  return { ok: true, delivery };
}

async function createUnconfirmedAffiliate(
  conn: Connection,
  fields: { name: string; email: string; locale: Locale; passwordHash: string },
  clock: Clock,
): Promise<string | null> {
  try {
    const user = await models(conn).User.create({
      ...fields,
      networkRole: 'affiliate',
      emailConfirmedAt: null,
      createdAt: new Date(clock()),
    });
    const id = user._id.toHexString();
    await recordAudit(
      conn,
      {
        action: 'affiliate.signUp',
        actorId: null,
        subject: { kind: 'user', id },
        details: { networkRole: 'affiliate', locale: fields.locale },
      },
      { clock },
    );
    return id;
  } catch (error) {
    if (isDuplicateKeyError(error)) return null;
    throw error;
  }
}

async function mailConfirmation(
  conn: Connection,
  user: { id: string; name: string; email: string; locale: string },
  request: AffiliateSignUpRequest,
  options: AffiliateSignUpOptions,
  clock: Clock,
): Promise<void> {
  // One working link at a time: a new request replaces the previous one.
  await revokeOneTimeTokens(conn, { userId: user.id, purpose: 'email-confirmation' });
  const { token, expiresAt } = await issueOneTimeToken(
    conn,
    'email-confirmation',
    { userId: user.id },
    { clock },
  );
  await options.mailer.send({
    to: user.email,
    language: localeSchema.catch('en').parse(user.locale),
    origin: request.origin,
    template: 'affiliate-confirm-email',
    params: { name: user.name, token, expiresAt },
  });
}

async function mailExisting(
  conn: Connection,
  user: { _id: { toHexString(): string }; name: string; email: string; locale: string; disabled: boolean },
  request: AffiliateSignUpRequest,
  options: AffiliateSignUpOptions,
  clock: Clock,
): Promise<void> {
  if (user.disabled) return;
  await options.mailer.send({
    to: user.email,
    language: localeSchema.catch('en').parse(user.locale),
    origin: request.origin,
    template: 'affiliate-account-exists',
    params: { name: user.name },
  });
  await recordAudit(
    conn,
    {
      action: 'affiliate.signUp.existing',
      actorId: null,
      subject: { kind: 'user', id: user._id.toHexString() },
      details: { address: request.address },
    },
    { clock },
  );
}

export type AffiliateConfirmResult =
  { ok: true; token: string; session: Session; userId: string } | { ok: false; code: 'invalidToken' };

/**
 * The link from the confirmation mail: uses the token (once), marks the address confirmed, which lets the
 * person sign in, and opens a session for them.
 */
export async function confirmAffiliateEmail(
  conn: Connection,
  token: unknown,
  options: { clock?: Clock } = {},
): Promise<AffiliateConfirmResult> {
  const clock = options.clock ?? systemClock;
  const used = await consumeOneTimeToken(conn, token, 'email-confirmation', { clock });
  if (used === null || used.userId === null) return { ok: false, code: 'invalidToken' };
  const { User } = models(conn);
  const user = await User.findById(used.userId).lean();
  if (user === null || user.disabled) return { ok: false, code: 'invalidToken' };
  const now = new Date(clock());
  if (user.emailConfirmedAt === null) {
    await User.updateOne({ _id: user._id, emailConfirmedAt: null }, { $set: { emailConfirmedAt: now } });
    await recordAudit(
      conn,
      {
        action: 'user.email.confirm',
        actorId: used.userId,
        subject: { kind: 'user', id: used.userId },
        details: {},
      },
      { clock },
    );
  }
  await revokeOneTimeTokens(conn, { userId: used.userId, purpose: 'email-confirmation' });
  const sessionToken = generateSessionToken();
  const session = await createSession(conn, sessionToken, user._id, { clock });
  return { ok: true, token: sessionToken, session, userId: used.userId };
}
