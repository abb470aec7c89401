import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/accounts/audit';
import {
  PASSWORD_RESET_LIMITS,
  createSetPasswordLink,
  requestPasswordReset,
  resetPassword,
  setPasswordWithLink,
} from '../../src/accounts/password-reset';
import { ONE_TIME_TOKEN_TTL_MS } from '../../src/accounts/one-time-tokens';
import { validateSessionToken } from '../../src/accounts/sessions';
import { signIn } from '../../src/accounts/sign-in';
import { createUser } from '../../src/accounts/users';
import { createMailer } from '../../src/mail/mailer';
import type { Mailer } from '../../src/mail/mailer';
import { outboxModel } from '../../src/mail/outbox';
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

async function person(email: string, password: string, locale: 'en' | 'fr' = 'en'): Promise<string> {
  const r = await createUser(
    t.conn,
    { email, name: 'Pat', networkRole: 'member', password, locale },
    { actorId: null },
  );
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
}

async function resetTokenFor(to: string): Promise<string> {
  const mail = await outboxModel(t.conn)
    .findOne({ to, template: 'password-reset' })
    .sort({ createdAt: -1, _id: -1 })
    .lean();
  const match = /\/reset-password\/([a-z2-7]{32})/.exec(mail?.text ?? '');
  if (match?.[1] === undefined) throw new Error(`no reset link mailed to ${to}`);
  return match[1];
}

describe('password reset', () => {
  it('answers the same for a known and an unknown email, and mails only the known one', async () => {
    await person('known@example.org', 'the original passphrase', 'fr');
    const known = await requestPasswordReset(
      t.conn,
      { email: 'known@example.org', address: '10.1.0.1', origin: ORIGIN },
      { mailer },
    );
    const unknown = await requestPasswordReset(
      t.conn,
      { email: 'nobody-here@example.org', address: '10.1.0.2', origin: ORIGIN },
      { mailer },
    );
    expect(known.ok).toBe(true);
    expect(unknown.ok).toBe(true);
    // The answers have the same shape: nothing but `ok` and the delivery to wait for.
    expect(Object.keys(known).sort()).toEqual(Object.keys(unknown).sort());
    if (known.ok) await known.delivery;
    if (unknown.ok) await unknown.delivery;
    const mail = await outboxModel(t.conn).findOne({ to: 'known@example.org' }).lean();
    expect(mail?.template).toBe('password-reset');
    expect(mail?.language).toBe('fr');
    expect(await outboxModel(t.conn).countDocuments({ to: 'nobody-here@example.org' })).toBe(0);
  });

  it('sets the password, works once, and ends every session', async () => {
    const userId = await person('reset@example.org', 'my forgotten passphrase');
    const a = await signIn(t.conn, {
      email: 'reset@example.org',
      password: 'my forgotten passphrase',
      address: '10.2.0.1',
    });
    const b = await signIn(t.conn, {
      email: 'reset@example.org',
      password: 'my forgotten passphrase',
      address: '10.2.0.2',
    });
    if (!a.ok || !b.ok) throw new Error('sign-in failed');

    const asked = await requestPasswordReset(
      t.conn,
      { email: 'RESET@example.org', address: '10.2.0.1', origin: ORIGIN },
      { mailer },
    );
    if (!asked.ok) throw new Error('refused');
    await asked.delivery;
    const token = await resetTokenFor('reset@example.org');

    // The policy is checked before the link is used: a refused password leaves it working.
    expect(await resetPassword(t.conn, token, 'short')).toMatchObject({ ok: false, code: 'tooShort' });
    const done = await resetPassword(t.conn, token, 'a brand new passphrase');
    expect(done).toMatchObject({ ok: true, value: { userId, endedSessions: 2 } });
    expect((await validateSessionToken(t.conn, a.token)).session).toBeNull();
    expect((await validateSessionToken(t.conn, b.token)).session).toBeNull();
    expect(await resetPassword(t.conn, token, 'yet another passphrase')).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });

    expect(
      (
        await signIn(t.conn, {
          email: 'reset@example.org',
          password: 'a brand new passphrase',
          address: '10.2.0.3',
        })
      ).ok,
    ).toBe(true);
    const audit = await listAuditEvents(t.conn, { action: 'user.password.reset' });
    expect(audit.find((e) => e.subject?.id === userId)?.actorId?.toHexString()).toBe(userId);
  });

  it('a new request replaces the previous link, and links expire after an hour', async () => {
    await person('twice@example.org', 'first long passphrase');
    const clock = manualClock();
    const ask = async () => {
      const r = await requestPasswordReset(
        t.conn,
        { email: 'twice@example.org', address: '10.3.0.1', origin: ORIGIN },
        { mailer, clock: clock.now },
      );
      if (!r.ok) throw new Error('refused');
      await r.delivery;
      return resetTokenFor('twice@example.org');
    };
    const first = await ask();
    const second = await ask();
    expect(second).not.toBe(first);
    expect(await resetPassword(t.conn, first, 'second long passphrase', { clock: clock.now })).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });
    clock.advance(ONE_TIME_TOKEN_TTL_MS['password-reset'] + 1);
    expect(await resetPassword(t.conn, second, 'second long passphrase', { clock: clock.now })).toMatchObject(
      {
        ok: false,
        code: 'invalidToken',
      },
    );
  });

  it('is rate limited per email, for unknown emails exactly like known ones', async () => {
    const clock = manualClock();
    for (const email of ['limited@example.org', 'limited-unknown@example.org']) {
      if (email === 'limited@example.org') await person(email, 'limited long passphrase');
      const results = [];
      for (let i = 0; i <= PASSWORD_RESET_LIMITS.account.maxFailures; i++) {
        const r = await requestPasswordReset(
          t.conn,
          // A different address each time: only the per-email limit applies.
          { email, address: `10.4.${i}.1`, origin: ORIGIN },
          { mailer, clock: clock.now },
        );
        if (r.ok) await r.delivery;
        results.push(r.ok ? 'ok' : r.reason);
      }
      expect(results).toEqual([
        ...Array<string>(PASSWORD_RESET_LIMITS.account.maxFailures).fill('ok'),
        'limited',
      ]);
    }
    expect(await outboxModel(t.conn).countDocuments({ to: 'limited@example.org' })).toBe(
      PASSWORD_RESET_LIMITS.account.maxFailures,
    );
    clock.advance(PASSWORD_RESET_LIMITS.account.lockoutMs + 1);
    const later = await requestPasswordReset(
      t.conn,
      { email: 'limited@example.org', address: '10.4.99.1', origin: ORIGIN },
      { mailer, clock: clock.now },
    );
    expect(later.ok).toBe(true);
  });

  it('is rate limited per address', async () => {
    const clock = manualClock();
    const outcomes: boolean[] = [];
    for (let i = 0; i <= PASSWORD_RESET_LIMITS.address.maxFailures; i++) {
      const r = await requestPasswordReset(
        t.conn,
        { email: `someone-${i}@example.org`, address: '10.5.0.1', origin: ORIGIN },
        { mailer, clock: clock.now },
      );
      outcomes.push(r.ok);
    }
    expect(outcomes.at(-1)).toBe(false);
    expect(outcomes.slice(0, -1).every(Boolean)).toBe(true);
  });

  it('refuses a malformed email without an exception', async () => {
    for (const email of [undefined, 42, 'not an email', { $gt: '' }]) {
      expect(
        await requestPasswordReset(t.conn, { email, address: '10.6.0.1', origin: ORIGIN }, { mailer }),
      ).toEqual({
        ok: false,
        reason: 'invalidInput',
      });
    }
  });
});

describe('set-password links', () => {
  it('lead to /set-password/<token>, work once, and set the password', async () => {
    const r = await createUser(
      t.conn,
      { email: 'nopass@example.org', name: 'No Pass', networkRole: 'staff' },
      { actorId: null },
    );
    if (!r.ok) throw new Error(r.message);
    const { link, expiresAt } = await createSetPasswordLink(t.conn, r.value.id, ORIGIN);
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(ONE_TIME_TOKEN_TTL_MS['set-password'] - 60_000);
    const match = /^http:\/\/localhost:3000\/set-password\/([a-z2-7]{32})$/.exec(link);
    expect(match).not.toBeNull();
    const token = match?.[1] ?? '';
    // A set-password token is not a reset token.
    expect(await resetPassword(t.conn, token, 'the chosen passphrase')).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });
    expect(await setPasswordWithLink(t.conn, token, 'the chosen passphrase')).toMatchObject({ ok: true });
    expect(await setPasswordWithLink(t.conn, token, 'the chosen passphrase')).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });
    expect(
      (
        await signIn(t.conn, {
          email: 'nopass@example.org',
          password: 'the chosen passphrase',
          address: '10.7.0.1',
        })
      ).ok,
    ).toBe(true);
  });
});
