import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/accounts/audit';
import { hashPassword } from '../../src/accounts/passwords';
import { SIGN_IN_LIMITS } from '../../src/accounts/rate-limit';
import { validateSessionToken } from '../../src/accounts/sessions';
import { signIn } from '../../src/accounts/sign-in';
import { models } from '../../src/models/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
const password = 'otters hold hands while sleeping';

beforeAll(async () => {
  t = await startMongooseDatabase();
  const { User } = models(t.conn);
  const passwordHash = await hashPassword(password);
  await User.create({ email: 'ana@example.org', name: 'Ana', networkRole: 'member', passwordHash });
  await User.create({
    email: 'off@example.org',
    name: 'Off',
    networkRole: 'member',
    passwordHash,
    disabled: true,
  });
  await User.create({ email: 'new@example.org', name: 'New', networkRole: 'member' });
  await User.create({ email: 'cy@example.org', name: 'Cy', networkRole: 'staff', passwordHash });
});
afterAll(async () => {
  await t?.close();
});

describe('signIn', () => {
  it('opens a new session for the right password, whatever the case of the email', async () => {
    const a = await signIn(t.conn, { email: ' ANA@example.org', password, address: '192.0.2.1' });
    const b = await signIn(t.conn, { email: 'ana@example.org', password, address: '192.0.2.1' });
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) {
      expect(a.token).not.toBe(b.token);
      expect((await validateSessionToken(t.conn, a.token)).user?.email).toBe('ana@example.org');
    }
  });

  it('gives the same answer for a wrong password, an unknown email, a disabled account and one without password', async () => {
    const address = '192.0.2.2';
    const answers = await Promise.all([
      signIn(t.conn, { email: 'ana@example.org', password: 'wrong password', address }),
      signIn(t.conn, { email: 'nobody@example.org', password, address }),
      signIn(t.conn, { email: 'off@example.org', password, address }),
      signIn(t.conn, { email: 'new@example.org', password, address }),
      signIn(t.conn, { email: 'not an email', password, address }),
      signIn(t.conn, { email: 42, password: null, address }),
    ]);
    for (const answer of answers) expect(answer).toEqual({ ok: false, reason: 'invalid' });
  });

  it('locks an account after repeated failures, even for the right password, and audits the lockout', async () => {
    const clock = manualClock(Date.now());
    const { maxFailures, lockoutMs } = SIGN_IN_LIMITS.account;
    // An account no other test fails against, so only this test's failures count.
    const email = 'cy@example.org';
    const answers = [];
    for (let i = 0; i < maxFailures; i++) {
      answers.push(
        await signIn(
          t.conn,
          { email, password: `wrong ${i}`, address: `198.51.100.${i}` },
          { clock: clock.now },
        ),
      );
    }
    expect(answers.slice(0, -1).every((a) => !a.ok && a.reason === 'invalid')).toBe(true);
    expect(answers.at(-1)).toMatchObject({ ok: false, reason: 'locked' });

    const locked = await signIn(t.conn, { email, password, address: '198.51.100.99' }, { clock: clock.now });
    expect(locked).toMatchObject({ ok: false, reason: 'locked' });

    const audit = await listAuditEvents(t.conn, { action: 'signIn.lockout' });
    expect(audit.map((e) => e.subject)).toContainEqual({ kind: 'account', id: email });

    clock.advance(lockoutMs);
    const after = await signIn(t.conn, { email, password, address: '198.51.100.99' }, { clock: clock.now });
    expect(after.ok).toBe(true);
  });

  it('locks unknown emails the same way, so a lockout does not reveal an account', async () => {
    const clock = manualClock(Date.now());
    let last;
    for (let i = 0; i < SIGN_IN_LIMITS.account.maxFailures; i++) {
      last = await signIn(
        t.conn,
        { email: 'ghost@example.org', password, address: `203.0.113.${i}` },
        { clock: clock.now },
      );
    }
    expect(last).toMatchObject({ ok: false, reason: 'locked' });
  });
});
