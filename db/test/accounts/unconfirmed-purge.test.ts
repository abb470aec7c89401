import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmAffiliateEmail, signUpAffiliate } from '../../src/accounts/affiliates';
import type { AffiliateSignUpRequest } from '../../src/accounts/affiliates';
import { listAuditEvents } from '../../src/accounts/audit';
import { ONE_TIME_TOKEN_TTL_MS } from '../../src/accounts/one-time-tokens';
import { createSession, generateSessionToken } from '../../src/accounts/sessions';
import { signIn } from '../../src/accounts/sign-in';
import {
  UNCONFIRMED_AFFILIATE_RETENTION_DAYS,
  purgeUnconfirmedAffiliates,
  startUnconfirmedAffiliatePurge,
} from '../../src/accounts/unconfirmed-purge';
import { createUser, setUserDisabled } from '../../src/accounts/users';
import { createMailer } from '../../src/mail/mailer';
import type { Mailer } from '../../src/mail/mailer';
import { outboxModel } from '../../src/mail/outbox';
import { models } from '../../src/models/index';
import { waitFor } from '../helpers/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

const DAY_MS = 24 * 60 * 60 * 1000;
const ORIGIN = 'http://localhost:3000';
const PASSWORD = 'lanterns over the quiet bay';

// A database per test: each purge sweeps the whole users collection, so counts stay exact.
let t: MongooseTestDatabase;
let mailer: Mailer;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  t = await startMongooseDatabase();
  mailer = createMailer({
    connection: t.conn,
    from: 'COPE <no-reply@example.org>',
    logger: pino({ level: 'silent' }),
  });
  // Starts at the real time: the TTL monitor must not remove tokens the assertions look for.
  clock = manualClock();
});
afterEach(async () => {
  await mailer?.close();
  await t?.close();
});

let addressCounter = 0;
function request(email: string): AffiliateSignUpRequest {
  addressCounter += 1;
  return {
    name: 'Alex Affiliate',
    email,
    password: PASSWORD,
    locale: 'en',
    address: `192.0.2.${addressCounter}`,
    origin: ORIGIN,
  };
}

/** Signs up at the clock's time and waits for the mail; returns the account id. */
async function signUp(email: string): Promise<string> {
  const result = await signUpAffiliate(t.conn, request(email), { mailer, clock: clock.now });
  if (!result.ok) throw new Error(`sign-up refused: ${result.reason}`);
  await result.delivery;
  const user = await models(t.conn).User.findOne({ email }).lean();
  if (user === null) throw new Error('no account created');
  return user._id.toHexString();
}

function confirmationToken(text: string): string {
  const match = /\/sign-up\/confirm\/([a-z2-7]{32})/.exec(text);
  if (match?.[1] === undefined) throw new Error(`no confirmation link in:\n${text}`);
  return match[1];
}

async function latestToken(email: string): Promise<string> {
  const mail = await outboxModel(t.conn).findOne({ to: email }).sort({ createdAt: -1, _id: -1 }).lean();
  return confirmationToken(mail?.text ?? '');
}

async function exists(email: string): Promise<boolean> {
  return (await models(t.conn).User.exists({ email })) !== null;
}

async function purgeEvents() {
  return listAuditEvents(t.conn, { action: 'affiliate.unconfirmed.purge' });
}

describe('purging affiliate sign-ups never confirmed', () => {
  it('keeps accounts longer than the confirmation link works', () => {
    expect(UNCONFIRMED_AFFILIATE_RETENTION_DAYS * DAY_MS).toBeGreaterThan(
      ONE_TIME_TOKEN_TTL_MS['email-confirmation'],
    );
  });

  it('removes an old unconfirmed affiliate with its tokens, sessions and mails', async () => {
    const email = 'never-confirmed@example.org';
    const id = await signUp(email);
    const { OneTimeToken, Session } = models(t.conn);
    // Sign-in refuses unconfirmed accounts, so none should have a session; one is made to see it go too.
    await createSession(t.conn, generateSessionToken(), id, { clock: clock.now });
    expect(await OneTimeToken.countDocuments({ userId: id })).toBe(1);
    expect(await Session.countDocuments({ userId: id })).toBe(1);
    expect(await outboxModel(t.conn).countDocuments({ to: email })).toBe(1);

    clock.advance(UNCONFIRMED_AFFILIATE_RETENTION_DAYS * DAY_MS + 60_000);
    expect(await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now })).toMatchObject({ purged: 1 });

    expect(await exists(email)).toBe(false);
    expect(await OneTimeToken.countDocuments({ userId: id })).toBe(0);
    expect(await Session.countDocuments({ userId: id })).toBe(0);
    expect(await outboxModel(t.conn).countDocuments({ to: email })).toBe(0);
  });

  it('keeps recent, confirmed, vouched-for, disabled and non-affiliate accounts of the same age', async () => {
    const old = 'old-unconfirmed@example.org';
    const confirmed = 'confirmed@example.org';
    const member = 'member@example.org';
    const cliAffiliate = 'cli-affiliate@example.org';
    const disabled = 'disabled-unconfirmed@example.org';
    const recent = 'recent-unconfirmed@example.org';

    await signUp(old);
    await signUp(confirmed);
    expect((await confirmAffiliateEmail(t.conn, await latestToken(confirmed), { clock: clock.now })).ok).toBe(
      true,
    );
    for (const [email, networkRole] of [
      [member, 'member'],
      // Made by staff or the CLI: `emailConfirmedAt` absent, the address was vouched for.
      [cliAffiliate, 'affiliate'],
    ] as const) {
      const made = await createUser(
        t.conn,
        { email, name: 'Sam Someone', networkRole, password: PASSWORD },
        { actorId: null, clock: clock.now },
      );
      if (!made.ok) throw new Error(made.message);
    }
    // A member is never unconfirmed by design; forced here so only the role tells it apart.
    await models(t.conn).User.updateOne({ email: member }, { $set: { emailConfirmedAt: null } });
    const disabledId = await signUp(disabled);
    await setUserDisabled(t.conn, disabledId, true, { actorId: null, clock: clock.now });

    clock.advance(6 * DAY_MS);
    await signUp(recent);
    // Just before the recent link expires, so it can still be used below.
    clock.advance(2 * DAY_MS - 60_000);

    const result = await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now });
    expect(result.purged).toBe(1);
    expect(result.cutoff.getTime()).toBe(clock.now() - UNCONFIRMED_AFFILIATE_RETENTION_DAYS * DAY_MS);
    expect(await exists(old)).toBe(false);
    for (const email of [confirmed, member, cliAffiliate, disabled, recent]) {
      expect({ email, exists: await exists(email) }).toEqual({ email, exists: true });
    }
    // The recent one can still confirm with its link.
    expect((await confirmAffiliateEmail(t.conn, await latestToken(recent), { clock: clock.now })).ok).toBe(
      true,
    );
  });

  it('keeps an old account whose newest link still works, and removes it once that link has expired', async () => {
    const email = 'asked-again@example.org';
    await signUp(email);
    clock.advance(6 * DAY_MS);
    // Asking again mails a fresh link (2 days) to the same, older account.
    await signUp(email);
    clock.advance(DAY_MS + 12 * 60 * 60 * 1000);
    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now })).purged).toBe(0);
    expect(await exists(email)).toBe(true);

    clock.advance(DAY_MS);
    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now })).purged).toBe(1);
    expect(await exists(email)).toBe(false);
  });

  it('writes one audit entry per run that removed accounts, with the count and no address', async () => {
    const emails = ['first-gone@example.org', 'second-gone@example.org', 'third-gone@example.org'];
    for (const email of emails) await signUp(email);
    clock.advance(10 * DAY_MS);

    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now })).purged).toBe(3);
    const events = await purgeEvents();
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.actorId).toBeNull();
    expect(event?.subject).toBeNull();
    expect(event?.details).toMatchObject({ purged: 3, olderThanDays: UNCONFIRMED_AFFILIATE_RETENTION_DAYS });
    const text = JSON.stringify(event);
    for (const email of emails) {
      expect(text).not.toContain(email);
      expect(text).not.toContain(email.split('@')[0]);
    }

    // A run that finds nothing leaves no entry.
    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now })).purged).toBe(0);
    expect(await purgeEvents()).toHaveLength(1);
  });

  it('takes a shorter or longer wait, and refuses a wait that is not a whole number of days', async () => {
    const email = 'three-days-old@example.org';
    await signUp(email);
    clock.advance(3 * DAY_MS);
    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now, olderThanDays: 4 })).purged).toBe(0);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(
        purgeUnconfirmedAffiliates(t.conn, { clock: clock.now, olderThanDays: bad }),
      ).rejects.toThrow();
    }
    expect(await exists(email)).toBe(true);
    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now, olderThanDays: 2 })).purged).toBe(1);
    expect(await exists(email)).toBe(false);
  });

  it('lets the purged address sign up again as a fresh account that confirms and signs in', async () => {
    const email = 'comes-back@example.org';
    const firstId = await signUp(email);
    clock.advance(UNCONFIRMED_AFFILIATE_RETENTION_DAYS * DAY_MS + 60_000);
    expect((await purgeUnconfirmedAffiliates(t.conn, { clock: clock.now })).purged).toBe(1);

    const secondId = await signUp(email);
    expect(secondId).not.toBe(firstId);
    const mails = await outboxModel(t.conn).find({ to: email }).lean();
    expect(mails.map((m) => m.template)).toEqual(['affiliate-confirm-email']);
    const confirmed = await confirmAffiliateEmail(t.conn, await latestToken(email), { clock: clock.now });
    expect(confirmed).toMatchObject({ ok: true, userId: secondId });
    const user = await models(t.conn).User.findById(secondId).lean();
    expect(user?.emailConfirmedAt).toBeInstanceOf(Date);
    expect(user?.createdAt.getTime()).toBe(clock.now());
    const signedIn = await signIn(t.conn, { email, password: PASSWORD, address: '198.51.100.7' });
    expect(signedIn.ok).toBe(true);
  });

  it('runs at once when scheduled, and stops', async () => {
    const email = 'swept-at-start@example.org';
    // Old enough by the real clock the scheduled sweep uses.
    await signUp(email);
    await models(t.conn).User.updateOne(
      { email },
      { $set: { createdAt: new Date(Date.now() - 30 * DAY_MS) } },
    );
    await models(t.conn).OneTimeToken.updateMany({}, { $set: { expiresAt: new Date(Date.now() - DAY_MS) } });
    const infos: object[] = [];
    const stop = startUnconfirmedAffiliatePurge(t.conn, {
      info: (fields) => infos.push(fields),
      error: (fields) => infos.push({ error: fields }),
    });
    try {
      expect(await waitFor(async () => infos.length > 0 && !(await exists(email)), 10_000)).toBe(true);
      expect(infos).toEqual([{ purged: 1 }]);
    } finally {
      stop();
    }
  });
});
