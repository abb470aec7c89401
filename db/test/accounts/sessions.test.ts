import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  SESSION_CONFIG,
  createSession,
  generateSessionToken,
  invalidateSession,
  invalidateUserSessions,
  sessionIdFromToken,
  validateSessionToken,
} from '../../src/accounts/sessions';
import { models } from '../../src/models/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

const DAY = 24 * 60 * 60 * 1000;

let t: MongooseTestDatabase;
let userId: string;

beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterAll(async () => {
  await t?.close();
});

beforeEach(async () => {
  const { User, Session } = models(t.conn);
  await Session.deleteMany({});
  await User.deleteMany({});
  const user = await User.create({ email: 'ana@example.org', name: 'Ana', networkRole: 'member' });
  userId = user._id.toHexString();
});

describe('createSession', () => {
  it('stores the hash of the token as the id, never the token', async () => {
    const clock = manualClock();
    const token = generateSessionToken();
    const session = await createSession(t.conn, token, userId, { clock: clock.now });
    expect(session.id).toBe(sessionIdFromToken(token));
    expect(session.expiresAt.getTime()).toBe(clock.now() + SESSION_CONFIG.idleTimeoutMs);

    const raw = await t.db.client.db(t.db.dbName).collection('sessions').find({}).toArray();
    expect(raw).toHaveLength(1);
    expect(raw[0]?._id).toBe(session.id);
    expect(JSON.stringify(raw)).not.toContain(token);
  });

  it('refuses a token that generateSessionToken could not have made', async () => {
    await expect(createSession(t.conn, 'short', userId)).rejects.toThrow(TypeError);
  });
});

describe('validateSessionToken', () => {
  it('returns the session and the person for a valid token', async () => {
    const clock = manualClock();
    const token = generateSessionToken();
    await createSession(t.conn, token, userId, { clock: clock.now });
    clock.advance(DAY);
    const result = await validateSessionToken(t.conn, token, { clock: clock.now });
    expect(result.session?.userId).toBe(userId);
    expect(result.user).toMatchObject({
      id: userId,
      email: 'ana@example.org',
      networkRole: 'member',
      locale: 'en',
    });
    expect(result.renewed).toBe(false);
  });

  it('answers nulls for unknown, malformed and non-string tokens', async () => {
    for (const token of [
      generateSessionToken(),
      '',
      'x'.repeat(32),
      'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
      42,
      null,
      {},
    ]) {
      expect(await validateSessionToken(t.conn, token)).toEqual({
        session: null,
        user: null,
        renewed: false,
      });
    }
  });

  it('does not accept the stored id in place of the token', async () => {
    const token = generateSessionToken();
    const session = await createSession(t.conn, token, userId);
    expect((await validateSessionToken(t.conn, session.id)).session).toBeNull();
  });

  it('slides the expiry when less than half the idle timeout remains', async () => {
    const clock = manualClock();
    const token = generateSessionToken();
    const created = await createSession(t.conn, token, userId, { clock: clock.now });

    // More than half remains: no write.
    clock.advance(SESSION_CONFIG.idleTimeoutMs - SESSION_CONFIG.renewWhenRemainingBelowMs - DAY);
    const early = await validateSessionToken(t.conn, token, { clock: clock.now });
    expect(early.renewed).toBe(false);
    expect(early.session?.expiresAt.getTime()).toBe(created.expiresAt.getTime());

    // Less than half remains: the end moves to now + idle timeout, in the database too.
    clock.advance(2 * DAY);
    const late = await validateSessionToken(t.conn, token, { clock: clock.now });
    expect(late.renewed).toBe(true);
    expect(late.session?.expiresAt.getTime()).toBe(clock.now() + SESSION_CONFIG.idleTimeoutMs);
    const stored = await models(t.conn).Session.findById(created.id).lean();
    expect(stored?.expiresAt.getTime()).toBe(clock.now() + SESSION_CONFIG.idleTimeoutMs);
  });

  it('ends a session left idle past the timeout', async () => {
    const clock = manualClock();
    const token = generateSessionToken();
    const created = await createSession(t.conn, token, userId, { clock: clock.now });
    clock.advance(SESSION_CONFIG.idleTimeoutMs);
    expect((await validateSessionToken(t.conn, token, { clock: clock.now })).session).toBeNull();
    expect(await models(t.conn).Session.findById(created.id).lean()).toBeNull();
  });

  it('ends a session at its absolute lifetime however active it was', async () => {
    const clock = manualClock();
    const start = clock.now();
    const token = generateSessionToken();
    await createSession(t.conn, token, userId, { clock: clock.now });
    let lastExpiry = 0;
    // Use it every 10 days: renewals never carry it past the absolute lifetime.
    while (clock.now() + 10 * DAY < start + SESSION_CONFIG.absoluteLifetimeMs) {
      clock.advance(10 * DAY);
      const r = await validateSessionToken(t.conn, token, { clock: clock.now });
      expect(r.session).not.toBeNull();
      lastExpiry = r.session?.expiresAt.getTime() ?? 0;
      expect(lastExpiry).toBeLessThanOrEqual(start + SESSION_CONFIG.absoluteLifetimeMs);
    }
    clock.advance(start + SESSION_CONFIG.absoluteLifetimeMs - clock.now());
    expect((await validateSessionToken(t.conn, token, { clock: clock.now })).session).toBeNull();
  });

  it('ends the session of a disabled or deleted account', async () => {
    const token = generateSessionToken();
    await createSession(t.conn, token, userId);
    await models(t.conn).User.updateOne({ _id: userId }, { $set: { disabled: true } });
    expect((await validateSessionToken(t.conn, token)).session).toBeNull();
    expect(await models(t.conn).Session.countDocuments({})).toBe(0);
  });
});

describe('invalidation', () => {
  it('ends one session on sign-out and leaves the others', async () => {
    const a = generateSessionToken();
    const b = generateSessionToken();
    const sa = await createSession(t.conn, a, userId);
    await createSession(t.conn, b, userId);
    await invalidateSession(t.conn, sa.id);
    expect((await validateSessionToken(t.conn, a)).session).toBeNull();
    expect((await validateSessionToken(t.conn, b)).session).not.toBeNull();
  });

  it("ends all of one person's sessions and nobody else's", async () => {
    const other = await models(t.conn).User.create({
      email: 'bo@example.org',
      name: 'Bo',
      networkRole: 'staff',
    });
    const mine = [generateSessionToken(), generateSessionToken(), generateSessionToken()];
    for (const token of mine) await createSession(t.conn, token, userId);
    const theirs = generateSessionToken();
    await createSession(t.conn, theirs, other._id);
    expect(await invalidateUserSessions(t.conn, userId)).toBe(3);
    for (const token of mine) expect((await validateSessionToken(t.conn, token)).session).toBeNull();
    expect((await validateSessionToken(t.conn, theirs)).user?.email).toBe('bo@example.org');
  });
});
