import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ONE_TIME_TOKEN_TTL_MS,
  consumeOneTimeToken,
  issueOneTimeToken,
  oneTimeTokenId,
  peekOneTimeToken,
  revokeOneTimeToken,
  revokeOneTimeTokens,
} from '../../src/accounts/one-time-tokens';
import { models } from '../../src/models/index';
import { waitFor } from '../helpers/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;

beforeAll(async () => {
  // A fast TTL monitor, to see the database itself remove expired tokens.
  t = await startMongooseDatabase({ ttlIntervalMs: 100 });
});
afterAll(async () => {
  await t?.close();
});

const userId = () => new Types.ObjectId().toHexString();

describe('one-time tokens', () => {
  it('are 160 random bits in base32 and only their SHA-256 is stored', async () => {
    const { token } = await issueOneTimeToken(t.conn, 'set-password', { userId: userId() });
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    const stored = await models(t.conn).OneTimeToken.find({}).lean();
    expect(stored.some((d) => d._id === token)).toBe(false);
    const id = oneTimeTokenId(token);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.some((d) => d._id === id)).toBe(true);
  });

  it('work once', async () => {
    const owner = userId();
    const { token } = await issueOneTimeToken(t.conn, 'password-reset', { userId: owner });
    const first = await consumeOneTimeToken(t.conn, token, 'password-reset');
    expect(first?.userId).toBe(owner);
    expect(first?.purpose).toBe('password-reset');
    expect(await consumeOneTimeToken(t.conn, token, 'password-reset')).toBeNull();
  });

  it('let exactly one of many concurrent uses succeed', async () => {
    for (let round = 0; round < 5; round++) {
      const { token } = await issueOneTimeToken(t.conn, 'invitation', {
        invitationId: new Types.ObjectId(),
      });
      const results = await Promise.all(
        Array.from({ length: 10 }, () => consumeOneTimeToken(t.conn, token, 'invitation')),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    }
  });

  it('are refused for another purpose, and stay usable for their own', async () => {
    const { token } = await issueOneTimeToken(t.conn, 'email-confirmation', { userId: userId() });
    expect(await consumeOneTimeToken(t.conn, token, 'password-reset')).toBeNull();
    expect(await peekOneTimeToken(t.conn, token, 'set-password')).toBeNull();
    expect(await consumeOneTimeToken(t.conn, token, 'email-confirmation')).not.toBeNull();
  });

  it('expire after the time set for their purpose', async () => {
    const clock = manualClock();
    const { token, expiresAt } = await issueOneTimeToken(
      t.conn,
      'password-reset',
      { userId: userId() },
      { clock: clock.now },
    );
    expect(expiresAt.getTime() - clock.now()).toBe(ONE_TIME_TOKEN_TTL_MS['password-reset']);
    clock.advance(ONE_TIME_TOKEN_TTL_MS['password-reset'] - 1000);
    expect(await peekOneTimeToken(t.conn, token, 'password-reset', { clock: clock.now })).not.toBeNull();
    clock.advance(1000);
    expect(await consumeOneTimeToken(t.conn, token, 'password-reset', { clock: clock.now })).toBeNull();
  });

  it('have the expiries of the configuration', () => {
    const day = 24 * 60 * 60 * 1000;
    expect(ONE_TIME_TOKEN_TTL_MS).toEqual({
      'set-password': 7 * day,
      'password-reset': 60 * 60 * 1000,
      invitation: 14 * day,
      'email-confirmation': 2 * day,
    });
  });

  it('are removed by the database once expired (TTL index)', async () => {
    const id = 'f'.repeat(64);
    await models(t.conn).OneTimeToken.create({
      _id: id,
      purpose: 'invitation',
      createdAt: new Date(Date.now() - 1000),
      expiresAt: new Date(Date.now() - 1),
    });
    const gone = await waitFor(
      async () => (await models(t.conn).OneTimeToken.exists({ _id: id })) === null,
      10_000,
    );
    expect(gone).toBe(true);
  });

  it('can be revoked one by one or all of a subject', async () => {
    const owner = userId();
    const a = await issueOneTimeToken(t.conn, 'password-reset', { userId: owner });
    const b = await issueOneTimeToken(t.conn, 'password-reset', { userId: owner });
    const c = await issueOneTimeToken(t.conn, 'set-password', { userId: owner });
    expect(await revokeOneTimeToken(t.conn, a.token)).toBe(true);
    expect(await consumeOneTimeToken(t.conn, a.token, 'password-reset')).toBeNull();
    expect(await revokeOneTimeTokens(t.conn, { userId: owner, purpose: 'password-reset' })).toBe(1);
    expect(await consumeOneTimeToken(t.conn, b.token, 'password-reset')).toBeNull();
    // Another purpose is untouched.
    expect(await consumeOneTimeToken(t.conn, c.token, 'set-password')).not.toBeNull();
  });

  it('refuse malformed input without a lookup or an exception', async () => {
    for (const bad of [undefined, null, 42, '', 'short', 'A'.repeat(32), { $ne: null }, 'a'.repeat(33)]) {
      expect(await consumeOneTimeToken(t.conn, bad, 'invitation')).toBeNull();
      expect(await revokeOneTimeToken(t.conn, bad)).toBe(false);
    }
  });
});
