import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AFFILIATE_SIGN_UP_LIMITS,
  confirmAffiliateEmail,
  signUpAffiliate,
} from '../../src/accounts/affiliates';
import type { AffiliateSignUpRequest } from '../../src/accounts/affiliates';
import { listAuditEvents } from '../../src/accounts/audit';
import { ONE_TIME_TOKEN_TTL_MS } from '../../src/accounts/one-time-tokens';
import { validateSessionToken } from '../../src/accounts/sessions';
import { signIn } from '../../src/accounts/sign-in';
import { createUser, setUserDisabled } from '../../src/accounts/users';
import { createMailer } from '../../src/mail/mailer';
import type { Mailer } from '../../src/mail/mailer';
import { outboxModel } from '../../src/mail/outbox';
import { models } from '../../src/models/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

const ORIGIN = 'http://localhost:3000';
let t: MongooseTestDatabase;
let mailer: Mailer;

beforeAll(async () => {
  t = await startMongooseDatabase();
  mailer = createMailer({
    connection: t.conn,
    from: 'COPE <no-reply@example.org>',
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await mailer?.close();
  await t?.close();
});

let addressCounter = 0;
function request(fields: Partial<AffiliateSignUpRequest> & { email: string }): AffiliateSignUpRequest {
  addressCounter += 1;
  return {
    name: 'Alex Affiliate',
    password: 'lanterns over the quiet bay',
    locale: 'en',
    address: `192.0.2.${addressCounter}`,
    origin: ORIGIN,
    ...fields,
  };
}

async function mailsTo(to: string) {
  return outboxModel(t.conn).find({ to }).sort({ createdAt: 1, _id: 1 }).lean();
}

function confirmationToken(text: string): string {
  const match = /\/sign-up\/confirm\/([a-z2-7]{32})/.exec(text);
  if (match?.[1] === undefined) throw new Error(`no confirmation link in:\n${text}`);
  return match[1];
}

describe('affiliate sign-up', () => {
  it('creates an unconfirmed affiliate who cannot sign in, and mails the link in their language', async () => {
    const email = 'new-affiliate@example.org';
    const result = await signUpAffiliate(t.conn, request({ email, locale: 'fr' }), { mailer });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    await result.delivery;

    const user = await models(t.conn).User.findOne({ email }).lean();
    expect(user?.networkRole).toBe('affiliate');
    expect(user?.emailConfirmedAt).toBeNull();
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);

    const signedIn = await signIn(t.conn, {
      email,
      password: 'lanterns over the quiet bay',
      address: '198.51.100.1',
    });
    expect(signedIn).toEqual({ ok: false, reason: 'invalid' });

    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.template).toBe('affiliate-confirm-email');
    expect(mails[0]?.language).toBe('fr');
    expect(mails[0]?.text).toContain(`${ORIGIN}/sign-up/confirm/`);
  });

  it('confirms with the link once: the account signs in, a second use and an unknown token are refused', async () => {
    const email = 'confirm-me@example.org';
    const result = await signUpAffiliate(t.conn, request({ email }), { mailer });
    if (!result.ok) throw new Error('refused');
    await result.delivery;
    const token = confirmationToken((await mailsTo(email))[0]?.text ?? '');

    const confirmed = await confirmAffiliateEmail(t.conn, token);
    expect(confirmed.ok).toBe(true);
    if (!confirmed.ok) return;
    const session = await validateSessionToken(t.conn, confirmed.token);
    expect(session.user?.email).toBe(email);
    expect(session.user?.networkRole).toBe('affiliate');

    expect(await confirmAffiliateEmail(t.conn, token)).toEqual({ ok: false, code: 'invalidToken' });
    expect(await confirmAffiliateEmail(t.conn, 'a'.repeat(32))).toEqual({ ok: false, code: 'invalidToken' });
    expect(await confirmAffiliateEmail(t.conn, { not: 'a token' })).toEqual({
      ok: false,
      code: 'invalidToken',
    });

    const signedIn = await signIn(t.conn, {
      email,
      password: 'lanterns over the quiet bay',
      address: '198.51.100.2',
    });
    expect(signedIn.ok).toBe(true);
    const audit = await listAuditEvents(t.conn, { action: 'user.email.confirm' });
    expect(audit.map((e) => e.subject?.id)).toContain(confirmed.userId);
  });

  it('refuses an expired link and leaves the account unconfirmed', async () => {
    const clock = manualClock();
    const email = 'too-late@example.org';
    const result = await signUpAffiliate(t.conn, request({ email }), { mailer, clock: clock.now });
    if (!result.ok) throw new Error('refused');
    await result.delivery;
    const token = confirmationToken((await mailsTo(email))[0]?.text ?? '');
    clock.advance(ONE_TIME_TOKEN_TTL_MS['email-confirmation'] + 1000);
    expect(await confirmAffiliateEmail(t.conn, token, { clock: clock.now })).toEqual({
      ok: false,
      code: 'invalidToken',
    });
    const user = await models(t.conn).User.findOne({ email }).lean();
    expect(user?.emailConfirmedAt).toBeNull();
  });

  it('answers the same for a registered email, creates nothing and mails the owner instead', async () => {
    const email = 'already-here@example.org';
    const created = await createUser(
      t.conn,
      {
        email,
        name: 'Maya Member',
        networkRole: 'member',
        password: 'the original passphrase',
        locale: 'fr',
      },
      { actorId: null },
    );
    if (!created.ok) throw new Error(created.message);
    const before = await models(t.conn).User.findOne({ email }).lean();

    const known = await signUpAffiliate(
      t.conn,
      request({ email, name: 'Somebody Else', password: 'another long passphrase' }),
      { mailer },
    );
    const unknown = await signUpAffiliate(t.conn, request({ email: 'never-seen@example.org' }), { mailer });
    expect(Object.keys(known)).toEqual(Object.keys(unknown));
    expect(known.ok).toBe(true);
    expect(unknown.ok).toBe(true);
    if (!known.ok || !unknown.ok) return;
    await Promise.all([known.delivery, unknown.delivery]);

    const after = await models(t.conn).User.findOne({ email }).lean();
    expect(after).toEqual(before);
    expect(await models(t.conn).User.countDocuments({ email })).toBe(1);
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.template)).toEqual(['affiliate-account-exists']);
    expect(mails[0]?.language).toBe('fr');
    expect(mails[0]?.text).not.toMatch(/[a-z2-7]{32}/);
  });

  it('mails a fresh link to an address that signed up and never confirmed, keeping its password', async () => {
    const email = 'twice@example.org';
    const first = await signUpAffiliate(t.conn, request({ email }), { mailer });
    if (!first.ok) throw new Error('refused');
    await first.delivery;
    const hash = (await models(t.conn).User.findOne({ email }).lean())?.passwordHash;
    const second = await signUpAffiliate(t.conn, request({ email, password: 'a different passphrase' }), {
      mailer,
    });
    if (!second.ok) throw new Error('refused');
    await second.delivery;
    expect((await models(t.conn).User.findOne({ email }).lean())?.passwordHash).toBe(hash);
    const mails = await mailsTo(email);
    expect(mails.map((m) => m.template)).toEqual(['affiliate-confirm-email', 'affiliate-confirm-email']);
    const [firstToken, secondToken] = mails.map((m) => confirmationToken(m.text));
    // Only the newest link works.
    expect((await confirmAffiliateEmail(t.conn, firstToken)).ok).toBe(false);
    expect((await confirmAffiliateEmail(t.conn, secondToken)).ok).toBe(true);
  });

  it('refuses a disabled account confirming', async () => {
    const email = 'disabled-before-confirm@example.org';
    const result = await signUpAffiliate(t.conn, request({ email }), { mailer });
    if (!result.ok) throw new Error('refused');
    await result.delivery;
    const token = confirmationToken((await mailsTo(email))[0]?.text ?? '');
    const user = await models(t.conn).User.findOne({ email }).lean();
    await setUserDisabled(t.conn, user?._id.toHexString(), true, { actorId: null });
    expect((await confirmAffiliateEmail(t.conn, token)).ok).toBe(false);
  });

  it('names each invalid field and counts nothing against the limits', async () => {
    const result = await signUpAffiliate(
      t.conn,
      {
        name: '',
        email: 'not-an-email',
        password: 'short',
        locale: 'de',
        address: '192.0.2.200',
        origin: ORIGIN,
      },
      { mailer },
    );
    expect(result).toEqual({
      ok: false,
      reason: 'invalidInput',
      fields: { name: 'required', email: 'invalid', password: 'tooShort', locale: 'invalid' },
    });
    const failures = await models(t.conn).LoginFailure.countDocuments({
      key: /affiliateSignUp:address:192\.0\.2\.200/,
    });
    expect(failures).toBe(0);
  });

  it('limits requests per email like password reset, whether or not it is registered, and audits the burst', async () => {
    const email = 'flood@example.org';
    const answers = [];
    for (let i = 0; i <= AFFILIATE_SIGN_UP_LIMITS.account.maxFailures; i++) {
      const r = await signUpAffiliate(t.conn, request({ email }), { mailer });
      if (r.ok) await r.delivery;
      answers.push(r.ok ? 'ok' : r.reason);
    }
    expect(answers).toEqual([
      ...Array<string>(AFFILIATE_SIGN_UP_LIMITS.account.maxFailures).fill('ok'),
      'limited',
    ]);
    const bursts = await listAuditEvents(t.conn, { action: 'affiliate.signUp.lockout' });
    expect(bursts.map((e) => e.subject?.id)).toContain(email);
  });
});
