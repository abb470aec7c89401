import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cope/domain';
import { listAuditEvents } from '../../src/accounts/audit';
import {
  acceptInvitation,
  describeInvitation,
  inviteMember,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from '../../src/accounts/invitations';
import { ONE_TIME_TOKEN_TTL_MS } from '../../src/accounts/one-time-tokens';
import { createOrganisation } from '../../src/accounts/organisations';
import { validateSessionToken } from '../../src/accounts/sessions';
import { signIn } from '../../src/accounts/sign-in';
import { createUser } from '../../src/accounts/users';
import { createMailer } from '../../src/mail/mailer';
import type { Mailer } from '../../src/mail/mailer';
import { outboxModel } from '../../src/mail/outbox';
import { models } from '../../src/models/index';
import { startSmtpSink } from '../mail/fixtures';
import type { SmtpSink } from '../mail/fixtures';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

const ORIGIN = 'https://workspace.example.org';
const logger = pino({ level: 'silent' });

let t: MongooseTestDatabase;
let outboxMailer: Mailer;
let staff: Actor;
let member: Actor;

async function account(email: string, networkRole: 'staff' | 'member', name: string): Promise<Actor> {
  const r = await createUser(t.conn, { email, name, networkRole }, { actorId: null });
  if (!r.ok) throw new Error(r.message);
  return { userId: r.value.id, networkRole, disabled: false };
}

/** The token of the newest invitation link mailed to `to`, read from the outbox. */
async function linkTokenFromOutbox(to: string): Promise<string> {
  const mail = await outboxModel(t.conn).findOne({ to }).sort({ createdAt: -1, _id: -1 }).lean();
  return tokenIn(mail?.text ?? '');
}

function tokenIn(text: string): string {
  const match = /https:\/\/workspace\.example\.org\/invitations\/([a-z2-7]{32})/.exec(text);
  if (match?.[1] === undefined) throw new Error(`no invitation link in: ${text}`);
  return match[1];
}

beforeAll(async () => {
  t = await startMongooseDatabase();
  outboxMailer = createMailer({ connection: t.conn, from: 'COPE <no-reply@example.org>', logger });
  staff = await account('staff@example.org', 'staff', 'Sam Staff');
  member = await account('member@example.org', 'member', 'Mo Member');
});
afterAll(async () => {
  await outboxMailer?.close();
  await t?.close();
});

describe('invitations', () => {
  it('invite over real SMTP → accept → signed in, as a contact of an organisation, audited', async () => {
    const sink: SmtpSink = await startSmtpSink();
    const smtpMailer = createMailer({
      connection: t.conn,
      from: 'COPE <no-reply@example.org>',
      smtpUrl: sink.url,
      logger,
    });
    const clock = manualClock();
    try {
      const org = await createOrganisation(
        t.conn,
        { name: 'Enfants Ensemble', country: 'FR' },
        { actorId: null },
      );
      if (!org.ok) throw new Error(org.message);
      const invited = await inviteMember(
        t.conn,
        { email: 'Claire@Example.org', name: 'Claire', organisationId: org.value.id, locale: 'fr' },
        { actor: staff, origin: ORIGIN, mailer: smtpMailer, clock: clock.now },
      );
      if (!invited.ok) throw new Error(invited.message);
      expect(invited.value).toMatchObject({
        email: 'claire@example.org',
        status: 'pending',
        organisationId: org.value.id,
        invitedBy: staff.userId,
      });
      const lifetime = invited.value.expiresAt.getTime() - invited.value.createdAt.getTime();
      expect(lifetime).toBe(ONE_TIME_TOKEN_TTL_MS.invitation);

      expect(sink.received).toHaveLength(1);
      const mail = sink.received[0];
      expect(sink.envelopes[0]).toEqual(['claire@example.org']);
      // In the invitee's language: French.
      expect(mail?.subject ?? '').toMatch(/invit/i);
      expect(mail?.text ?? '').toContain('Sam Staff');
      expect(mail?.text ?? '').toContain('Enfants Ensemble');
      const token = tokenIn(mail?.text ?? '');

      const described = await describeInvitation(t.conn, token);
      expect(described).toMatchObject({
        ok: true,
        value: { email: 'claire@example.org', organisationName: 'Enfants Ensemble' },
      });

      // A refused password leaves the link working.
      const weak = await acceptInvitation(t.conn, token, { name: 'Claire Dupont', password: 'password' });
      expect(weak).toMatchObject({ ok: false, code: 'common' });

      const accepted = await acceptInvitation(t.conn, token, {
        name: 'Claire Dupont',
        password: 'a quiet garden in lyon',
      });
      if (!accepted.ok) throw new Error(accepted.message);
      const session = await validateSessionToken(t.conn, accepted.value.sessionToken);
      expect(session.user).toMatchObject({
        email: 'claire@example.org',
        name: 'Claire Dupont',
        networkRole: 'member',
        locale: 'fr',
        organisationId: org.value.id,
      });
      const orgDoc = await models(t.conn).Organisation.findById(org.value.id).lean();
      expect(orgDoc?.contacts.map(String)).toContain(accepted.value.userId);
      const stored = await models(t.conn).Invitation.findById(invited.value.id).lean();
      expect(stored?.status).toBe('accepted');
      expect(stored?.userId?.toHexString()).toBe(accepted.value.userId);

      // The password works for signing in; the link does not work twice.
      const again = await signIn(t.conn, {
        email: 'claire@example.org',
        password: 'a quiet garden in lyon',
        address: '10.0.0.1',
      });
      expect(again.ok).toBe(true);
      expect(
        await acceptInvitation(t.conn, token, { name: 'X', password: 'another long passphrase' }),
      ).toMatchObject({
        ok: false,
        code: 'invalidToken',
      });

      const events = await listAuditEvents(t.conn, { action: 'invitation.' });
      const mine = events.filter((e) => e.subject?.id === invited.value.id);
      expect(mine.map((e) => [e.action, e.actorId?.toHexString()]).sort()).toEqual(
        [
          ['invitation.accept', accepted.value.userId],
          ['invitation.create', staff.userId],
        ].sort(),
      );
      const created = await listAuditEvents(t.conn, { action: 'user.create' });
      expect(created.find((e) => e.subject?.id === accepted.value.userId)?.actorId?.toHexString()).toBe(
        staff.userId,
      );
    } finally {
      await smtpMailer.close();
      await sink.close();
    }
  });

  it('invites an individual member (no organisation) in English by default, through the outbox', async () => {
    const invited = await inviteMember(
      t.conn,
      { email: 'ivan@example.org' },
      { actor: staff, origin: ORIGIN, mailer: outboxMailer },
    );
    if (!invited.ok) throw new Error(invited.message);
    expect(invited.value.organisationId).toBeNull();
    const mail = await outboxModel(t.conn).findOne({ to: 'ivan@example.org' }).lean();
    expect(mail?.language).toBe('en');
    const accepted = await acceptInvitation(t.conn, await linkTokenFromOutbox('ivan@example.org'), {
      name: 'Ivan',
      password: 'individual member passphrase',
    });
    if (!accepted.ok) throw new Error(accepted.message);
    const user = await models(t.conn).User.findById(accepted.value.userId).lean();
    expect(user).toMatchObject({ networkRole: 'member', organisationId: null, locale: 'en' });
  });

  it('resend sends a new link and the old one stops working', async () => {
    const invited = await inviteMember(
      t.conn,
      { email: 'rita@example.org' },
      { actor: staff, origin: ORIGIN, mailer: outboxMailer },
    );
    if (!invited.ok) throw new Error(invited.message);
    const oldToken = await linkTokenFromOutbox('rita@example.org');
    const resent = await resendInvitation(t.conn, invited.value.id, {
      actor: staff,
      origin: ORIGIN,
      mailer: outboxMailer,
    });
    expect(resent.ok).toBe(true);
    const newToken = await linkTokenFromOutbox('rita@example.org');
    expect(newToken).not.toBe(oldToken);
    expect(
      await acceptInvitation(t.conn, oldToken, { name: 'Rita', password: 'rita has a long passphrase' }),
    ).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });
    expect(
      (await acceptInvitation(t.conn, newToken, { name: 'Rita', password: 'rita has a long passphrase' })).ok,
    ).toBe(true);
    const events = await listAuditEvents(t.conn, { action: 'invitation.resend' });
    expect(events.find((e) => e.subject?.id === invited.value.id)?.actorId?.toHexString()).toBe(staff.userId);
  });

  it('revoke makes the link stop working', async () => {
    const invited = await inviteMember(
      t.conn,
      { email: 'vic@example.org' },
      { actor: staff, origin: ORIGIN, mailer: outboxMailer },
    );
    if (!invited.ok) throw new Error(invited.message);
    const token = await linkTokenFromOutbox('vic@example.org');
    const revoked = await revokeInvitation(t.conn, invited.value.id, { actor: staff });
    expect(revoked).toMatchObject({ ok: true, value: { status: 'revoked' } });
    expect(await describeInvitation(t.conn, token)).toMatchObject({ ok: false, code: 'invalidToken' });
    expect(
      await acceptInvitation(t.conn, token, { name: 'Vic', password: 'vic has a long passphrase' }),
    ).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });
    expect(await revokeInvitation(t.conn, invited.value.id, { actor: staff })).toMatchObject({
      ok: false,
      code: 'notPending',
    });
    expect(
      await resendInvitation(t.conn, invited.value.id, {
        actor: staff,
        origin: ORIGIN,
        mailer: outboxMailer,
      }),
    ).toMatchObject({
      ok: false,
      code: 'notPending',
    });
  });

  it('refuses a member actor, an anonymous one and a disabled staff actor', async () => {
    const before = await models(t.conn).Invitation.countDocuments();
    for (const actor of [member, null, { ...staff, disabled: true }]) {
      const r = await inviteMember(
        t.conn,
        { email: 'nobody@example.org' },
        { actor, origin: ORIGIN, mailer: outboxMailer },
      );
      expect(r).toMatchObject({ ok: false, code: 'forbidden' });
    }
    // A member claiming to be staff: the stored account decides.
    const forged = await inviteMember(
      t.conn,
      { email: 'nobody@example.org' },
      { actor: { ...member, networkRole: 'staff' }, origin: ORIGIN, mailer: outboxMailer },
    );
    expect(forged).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await listInvitations(t.conn, {}, { actor: member })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await models(t.conn).Invitation.countDocuments()).toBe(before);
    expect(await outboxModel(t.conn).countDocuments({ to: 'nobody@example.org' })).toBe(0);
  });

  it('refuses an email that has an account, and a second pending invitation', async () => {
    expect(
      await inviteMember(
        t.conn,
        { email: 'MEMBER@example.org' },
        { actor: staff, origin: ORIGIN, mailer: outboxMailer },
      ),
    ).toMatchObject({ ok: false, code: 'emailTaken' });
    const first = await inviteMember(
      t.conn,
      { email: 'twice@example.org' },
      { actor: staff, origin: ORIGIN, mailer: outboxMailer },
    );
    expect(first.ok).toBe(true);
    expect(
      await inviteMember(
        t.conn,
        { email: 'twice@example.org' },
        { actor: staff, origin: ORIGIN, mailer: outboxMailer },
      ),
    ).toMatchObject({ ok: false, code: 'alreadyInvited' });
  });

  it('refuses bad input and an unknown organisation', async () => {
    const ctx = { actor: staff, origin: ORIGIN, mailer: outboxMailer };
    expect(await inviteMember(t.conn, { email: 'not an email' }, ctx)).toMatchObject({
      ok: false,
      code: 'invalidInput',
    });
    expect(
      await inviteMember(t.conn, { email: 'o@example.org', organisationId: '0123456789abcdef01234567' }, ctx),
    ).toMatchObject({ ok: false, code: 'notFound' });
    expect(
      await acceptInvitation(t.conn, 'nonsense', { name: 'X', password: 'long enough passphrase' }),
    ).toMatchObject({
      ok: false,
      code: 'invalidToken',
    });
  });

  it('an invitation past its expiry reads as expired and its link no longer works', async () => {
    const clock = manualClock();
    const ctx = { actor: staff, origin: ORIGIN, mailer: outboxMailer, clock: clock.now };
    const invited = await inviteMember(t.conn, { email: 'late@example.org' }, ctx);
    if (!invited.ok) throw new Error(invited.message);
    const token = await linkTokenFromOutbox('late@example.org');
    clock.advance(ONE_TIME_TOKEN_TTL_MS.invitation + 1);
    const listed = await listInvitations(t.conn, { status: 'expired' }, { actor: staff, clock: clock.now });
    expect(listed.ok && listed.value.map((i) => i.id)).toContain(invited.value.id);
    expect(
      await acceptInvitation(
        t.conn,
        token,
        { name: 'Late', password: 'late but long passphrase' },
        { clock: clock.now },
      ),
    ).toMatchObject({ ok: false, code: 'invalidToken' });
  });

  it('two concurrent acceptances of one link make one account', async () => {
    const invited = await inviteMember(
      t.conn,
      { email: 'race@example.org' },
      { actor: staff, origin: ORIGIN, mailer: outboxMailer },
    );
    if (!invited.ok) throw new Error(invited.message);
    const token = await linkTokenFromOutbox('race@example.org');
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        acceptInvitation(t.conn, token, { name: 'Race', password: 'racing to accept first' }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await models(t.conn).User.countDocuments({ email: 'race@example.org' })).toBe(1);
  });
});
