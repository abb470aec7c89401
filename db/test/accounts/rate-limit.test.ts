import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SIGN_IN_LIMITS,
  lockState,
  rateLimitKey,
  recordFailure,
  recordSignInFailure,
  recordSignInSuccess,
  signInLockState,
} from '../../src/accounts/rate-limit';
import { models } from '../../src/models/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

const MINUTE = 60 * 1000;
const rule = SIGN_IN_LIMITS.account;

let t: MongooseTestDatabase;

beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await models(t.conn).LoginFailure.deleteMany({});
  await models(t.conn).Lockout.deleteMany({});
});

describe('recordFailure', () => {
  it(`locks a key at the ${rule.maxFailures}th failure within the window, for the lockout period`, async () => {
    const clock = manualClock();
    const key = rateLimitKey('account', 'Ana@Example.org');
    expect(key).toBe('account:ana@example.org');
    for (let i = 1; i < rule.maxFailures; i++) {
      const r = await recordFailure(t.conn, key, rule, { clock: clock.now });
      expect(r).toMatchObject({ failures: i, lockedNow: false, state: { locked: false } });
      clock.advance(MINUTE);
    }
    const last = await recordFailure(t.conn, key, rule, { clock: clock.now });
    expect(last.lockedNow).toBe(true);
    expect(last.state.until?.getTime()).toBe(clock.now() + rule.lockoutMs);
    expect((await lockState(t.conn, key, { clock: clock.now })).locked).toBe(true);

    // Still locked just before the end, unlocked at it, with a full allowance again.
    clock.advance(rule.lockoutMs - 1);
    expect((await lockState(t.conn, key, { clock: clock.now })).locked).toBe(true);
    clock.advance(1);
    expect(await lockState(t.conn, key, { clock: clock.now })).toEqual({ locked: false, until: null });
    const after = await recordFailure(t.conn, key, rule, { clock: clock.now });
    expect(after).toMatchObject({ failures: 1, lockedNow: false });
  });

  it('slides the window: failures older than it do not count', async () => {
    const clock = manualClock();
    const key = rateLimitKey('account', 'bo@example.org');
    for (let i = 0; i < rule.maxFailures - 1; i++)
      await recordFailure(t.conn, key, rule, { clock: clock.now });
    clock.advance(rule.windowMs);
    const r = await recordFailure(t.conn, key, rule, { clock: clock.now });
    expect(r).toMatchObject({ failures: 1, lockedNow: false, state: { locked: false } });
  });

  it('keeps keys apart', async () => {
    const clock = manualClock();
    for (let i = 0; i < rule.maxFailures; i++) {
      await recordFailure(t.conn, rateLimitKey('account', 'a@example.org'), rule, { clock: clock.now });
    }
    expect(
      (await lockState(t.conn, rateLimitKey('account', 'a@example.org'), { clock: clock.now })).locked,
    ).toBe(true);
    expect(
      (await lockState(t.conn, rateLimitKey('account', 'b@example.org'), { clock: clock.now })).locked,
    ).toBe(false);
  });

  it('counts every concurrent failure', async () => {
    const clock = manualClock();
    const key = rateLimitKey('address', '192.0.2.7');
    await Promise.all(
      Array.from({ length: 8 }, () =>
        recordFailure(t.conn, key, SIGN_IN_LIMITS.address, { clock: clock.now }),
      ),
    );
    expect(await models(t.conn).LoginFailure.countDocuments({ key })).toBe(8);
  });
});

describe('sign-in limits', () => {
  it('locks the account whatever address the attempts come from, and a success clears its failures', async () => {
    const clock = manualClock();
    const email = 'ana@example.org';
    for (let i = 0; i < rule.maxFailures - 1; i++) {
      await recordSignInFailure(t.conn, { email, address: `198.51.100.${i}` }, { clock: clock.now });
    }
    await recordSignInSuccess(t.conn, { email, address: '198.51.100.1' });
    const r = await recordSignInFailure(t.conn, { email, address: '198.51.100.9' }, { clock: clock.now });
    expect(r.lockedNow).toEqual([]);

    for (let i = 0; i < rule.maxFailures - 1; i++) {
      await recordSignInFailure(t.conn, { email, address: `203.0.113.${i}` }, { clock: clock.now });
    }
    const state = await signInLockState(
      t.conn,
      { email: 'ANA@example.org', address: '203.0.113.200' },
      { clock: clock.now },
    );
    expect(state.locked).toBe(true);
  });

  it('locks an address trying many accounts', async () => {
    const clock = manualClock();
    const address = '192.0.2.50';
    let lockedNow: string[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.address.maxFailures; i++) {
      ({ lockedNow } = await recordSignInFailure(
        t.conn,
        { email: `p${i}@example.org`, address },
        { clock: clock.now },
      ));
    }
    expect(lockedNow).toEqual(['address']);
    expect(
      (await signInLockState(t.conn, { email: 'new@example.org', address }, { clock: clock.now })).locked,
    ).toBe(true);
    expect(
      (
        await signInLockState(
          t.conn,
          { email: 'new@example.org', address: '192.0.2.51' },
          { clock: clock.now },
        )
      ).locked,
    ).toBe(false);
  });

  it('survives a new connection (the counters live in the database)', async () => {
    const clock = manualClock();
    const key = rateLimitKey('account', 'kept@example.org');
    for (let i = 0; i < rule.maxFailures; i++) await recordFailure(t.conn, key, rule, { clock: clock.now });
    const mongoose = (await import('mongoose')).default;
    const other = await mongoose
      .createConnection(t.db.url, { dbName: t.db.dbName, autoIndex: false })
      .asPromise();
    try {
      expect((await lockState(other, key, { clock: clock.now })).locked).toBe(true);
    } finally {
      await other.close();
    }
  });
});
