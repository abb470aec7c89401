import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/accounts/audit';
import { verifyPassword } from '../../src/accounts/passwords';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/accounts/sessions';
import { signIn } from '../../src/accounts/sign-in';
import { createUser, setNetworkRole, setPassword, setUserDisabled } from '../../src/accounts/users';
import { models } from '../../src/models/index';
import { startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
const staffId = new Types.ObjectId().toHexString();
const ctx = { actorId: staffId };

beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterAll(async () => {
  await t?.close();
});

async function newUser(email: string, password?: string): Promise<string> {
  const r = await createUser(t.conn, { email, name: 'Someone', networkRole: 'member', password }, ctx);
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
}

describe('createUser', () => {
  it('creates an account with a hashed password and audits it', async () => {
    const id = await newUser('Dana@Example.org', 'a long enough passphrase');
    const user = await models(t.conn).User.findById(id).lean();
    expect(user?.email).toBe('dana@example.org');
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user?.passwordHash ?? '', 'a long enough passphrase')).toBe(true);
    const audit = await listAuditEvents(t.conn, { action: 'user.create' });
    expect(audit.find((e) => e.subject?.id === id)?.actorId?.toHexString()).toBe(staffId);
  });

  it('creates an account without a password (to be set from a link)', async () => {
    const id = await newUser('later@example.org');
    expect((await models(t.conn).User.findById(id).lean())?.passwordHash).toBeNull();
  });

  it('refuses a taken email, a common password and bad input, changing nothing', async () => {
    await newUser('taken@example.org');
    const before = await models(t.conn).User.countDocuments({});
    const base = { name: 'X', networkRole: 'member' as const };
    expect(await createUser(t.conn, { ...base, email: 'TAKEN@example.org' }, ctx)).toMatchObject({
      ok: false,
      code: 'emailTaken',
    });
    expect(
      await createUser(t.conn, { ...base, email: 'c@example.org', password: 'password1' }, ctx),
    ).toMatchObject({
      ok: false,
      code: 'common',
    });
    expect(
      await createUser(t.conn, { ...base, email: 'c@example.org', password: 'short' }, ctx),
    ).toMatchObject({
      ok: false,
      code: 'tooShort',
    });
    expect(await createUser(t.conn, { ...base, email: 'not-an-email' }, ctx)).toMatchObject({
      ok: false,
      code: 'invalidInput',
    });
    expect(
      await createUser(t.conn, { email: 'r@example.org', name: 'R', networkRole: 'root' } as never, ctx),
    ).toMatchObject({ ok: false, code: 'invalidInput' });
    expect(await models(t.conn).User.countDocuments({})).toBe(before);
  });
});

describe('setPassword and setUserDisabled', () => {
  it('a password change ends every session and the new password signs in', async () => {
    const id = await newUser('eve@example.org', 'first long passphrase');
    const tokens = [generateSessionToken(), generateSessionToken()];
    for (const token of tokens) await createSession(t.conn, token, id);
    const r = await setPassword(t.conn, id, 'second long passphrase', ctx);
    expect(r).toEqual({ ok: true, value: { endedSessions: 2 } });
    for (const token of tokens) expect((await validateSessionToken(t.conn, token)).session).toBeNull();
    const address = '192.0.2.10';
    expect(
      (await signIn(t.conn, { email: 'eve@example.org', password: 'first long passphrase', address })).ok,
    ).toBe(false);
    expect(
      (await signIn(t.conn, { email: 'eve@example.org', password: 'second long passphrase', address })).ok,
    ).toBe(true);
  });

  it('refuses a common new password and an unknown account', async () => {
    const id = await newUser('fay@example.org', 'first long passphrase');
    expect(await setPassword(t.conn, id, 'iloveyou', ctx)).toMatchObject({ ok: false, code: 'common' });
    expect(
      await setPassword(t.conn, new Types.ObjectId().toHexString(), 'a fine passphrase', ctx),
    ).toMatchObject({
      ok: false,
      code: 'notFound',
    });
    expect(await setPassword(t.conn, 'nope', 'a fine passphrase', ctx)).toMatchObject({
      ok: false,
      code: 'invalidInput',
    });
  });

  it('disabling ends every session and blocks sign-in; re-enabling allows it again', async () => {
    const id = await newUser('gus@example.org', 'gus long passphrase');
    const token = generateSessionToken();
    await createSession(t.conn, token, id);
    expect(await setUserDisabled(t.conn, id, true, ctx)).toEqual({ ok: true, value: { endedSessions: 1 } });
    expect((await validateSessionToken(t.conn, token)).session).toBeNull();
    const attempt = { email: 'gus@example.org', password: 'gus long passphrase', address: '192.0.2.11' };
    expect(await signIn(t.conn, attempt)).toEqual({ ok: false, reason: 'invalid' });
    expect(await setUserDisabled(t.conn, id, false, ctx)).toEqual({ ok: true, value: { endedSessions: 0 } });
    expect((await signIn(t.conn, attempt)).ok).toBe(true);
    const actions = (await listAuditEvents(t.conn, { actorId: staffId }))
      .filter((e) => e.subject?.id === id)
      .map((e) => e.action);
    expect(actions).toEqual(['user.enable', 'user.disable', 'user.create']);
  });
});

describe('setNetworkRole', () => {
  it('changes the role and keeps before and after in the audit log', async () => {
    const id = await newUser('hal@example.org');
    expect(await setNetworkRole(t.conn, id, 'staff', ctx)).toEqual({
      ok: true,
      value: { from: 'member', to: 'staff' },
    });
    expect((await models(t.conn).User.findById(id).lean())?.networkRole).toBe('staff');
    const [event] = await listAuditEvents(t.conn, { action: 'user.role.change' });
    expect(event?.subject).toEqual({ kind: 'user', id });
    expect(event?.details).toEqual({ from: 'member', to: 'staff', endedSessions: 0 });
    expect(await setNetworkRole(t.conn, id, 'root', ctx)).toMatchObject({ ok: false, code: 'invalidInput' });
  });
});
