import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents, listAuditPage, recordAudit } from '../../src/accounts/audit';
import {
  changeOrganisationCategory,
  getOrganisation,
  listOrganisations,
  organisationNames,
  updateOrganisation,
} from '../../src/accounts/organisation-admin';
import { createOrganisation } from '../../src/accounts/organisations';
import { PASSWORD_RESET_LIMITS, requestPasswordReset } from '../../src/accounts/password-reset';
import { getPerson, listPeople } from '../../src/accounts/people-admin';
import { createSession, generateSessionToken, validateSessionToken } from '../../src/accounts/sessions';
import { createUser, setNetworkRole, setUserDisabled } from '../../src/accounts/users';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
let staffId: string;

beforeAll(async () => {
  t = await startMongooseDatabase();
  staffId = await person('staff@example.org', 'Sam Staff', 'staff');
});
afterAll(async () => {
  await t?.close();
});

async function person(email: string, name: string, networkRole: 'staff' | 'member' | 'affiliate') {
  const r = await createUser(t.conn, { email, name, networkRole }, { actorId: null });
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
}

async function organisation(name: string, category: 'member' | 'applicant' | 'former' = 'member') {
  const r = await createOrganisation(t.conn, { name, country: 'FR', category }, { actorId: staffId });
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
}

describe('organisation category history', () => {
  it('keeps every change with who made it, when, from and to; an applicant has a term start', async () => {
    const clock = manualClock();
    const id = await organisation('Relais Enfants Parents');
    const termStart = new Date('2026-01-15T00:00:00.000Z');
    clock.advance(1000);
    const toApplicant = await changeOrganisationCategory(
      t.conn,
      id,
      { category: 'applicant', termStart: termStart.toISOString() },
      { actorId: staffId, clock: clock.now },
    );
    expect(toApplicant).toEqual({ ok: true, value: { from: 'member', to: 'applicant', termStart } });
    clock.advance(1000);
    const toFormer = await changeOrganisationCategory(
      t.conn,
      id,
      { category: 'former' },
      { actorId: staffId, clock: clock.now },
    );
    expect(toFormer.ok).toBe(true);

    const detail = await getOrganisation(t.conn, id);
    expect(detail?.category).toBe('former');
    expect(detail?.termStart).toBeNull();
    expect(
      detail?.categoryHistory.map(({ from, to, actorName, termStart: start }) => ({
        from,
        to,
        actorName,
        termStart: start,
      })),
    ).toEqual([
      { from: null, to: 'member', actorName: 'Sam Staff', termStart: null },
      { from: 'member', to: 'applicant', actorName: 'Sam Staff', termStart },
      { from: 'applicant', to: 'former', actorName: 'Sam Staff', termStart: null },
    ]);
    const events = await listAuditEvents(t.conn, { action: 'organisation.category.', subjectId: id });
    expect(events.map((e) => [e.action, e.actorId?.toHexString()])).toEqual([
      ['organisation.category.change', staffId],
      ['organisation.category.change', staffId],
    ]);
  });

  it('records nothing when the category does not change, and refuses bad input', async () => {
    const id = await organisation('Bambinisenzasbarre', 'member');
    const same = await changeOrganisationCategory(t.conn, id, { category: 'member' }, { actorId: staffId });
    expect(same.ok).toBe(true);
    expect(await listAuditEvents(t.conn, { subjectId: id, action: 'organisation.category.change' })).toEqual(
      [],
    );
    const bad = await changeOrganisationCategory(t.conn, id, { category: 'emeritus' }, { actorId: staffId });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.code).toBe('invalidInput');
    const unknown = await changeOrganisationCategory(
      t.conn,
      'f'.repeat(24),
      { category: 'former' },
      { actorId: staffId },
    );
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.code).toBe('notFound');
    expect((await getOrganisation(t.conn, id))?.category).toBe('member');
  });

  it('edits fields, audits what changed and refuses an unsafe website', async () => {
    const id = await organisation('Het Huis');
    const edit = await updateOrganisation(
      t.conn,
      id,
      { website: 'https://example.org/', languages: ['nl', 'en', 'nl'], description: 'A long text.' },
      { actorId: staffId },
    );
    expect(edit).toEqual({ ok: true, value: { changed: ['description', 'languages', 'website'] } });
    const detail = await getOrganisation(t.conn, id);
    expect(detail?.languages).toEqual(['nl', 'en']);
    const [event] = await listAuditEvents(t.conn, { action: 'organisation.update', subjectId: id });
    expect(event?.details).toEqual({
      website: { from: null, to: 'https://example.org/' },
      languages: { from: [], to: ['nl', 'en'] },
      description: { changed: true },
    });
    const unsafe = await updateOrganisation(
      t.conn,
      id,
      { website: 'javascript:alert(1)' },
      { actorId: staffId },
    );
    expect(unsafe.ok).toBe(false);
    expect((await getOrganisation(t.conn, id))?.website).toBe('https://example.org/');
  });

  it('lists and searches organisations and gives their names for forms', async () => {
    await organisation('Zebra Children Aid', 'applicant');
    const found = await listOrganisations(t.conn, { query: 'zebra' });
    expect(found.organisations.map((o) => o.name)).toEqual(['Zebra Children Aid']);
    const applicants = await listOrganisations(t.conn, { category: 'applicant' });
    expect(applicants.organisations.every((o) => o.category === 'applicant')).toBe(true);
    const names = await organisationNames(t.conn);
    expect(names.map((n) => n.name)).toEqual([...names.map((n) => n.name)].sort());
  });

  it('lists an organisation’s contacts', async () => {
    const id = await organisation('Contacts Org');
    const r = await createUser(
      t.conn,
      { email: 'contact@example.org', name: 'Cora Contact', networkRole: 'member', organisationId: id },
      { actorId: null },
    );
    if (!r.ok) throw new Error(r.message);
    const detail = await getOrganisation(t.conn, id);
    expect(detail?.contacts.map((c) => c.email)).toEqual(['contact@example.org']);
  });
});

describe('people administration', () => {
  it('audits a role change and a disable / enable in the person’s history, with the actor', async () => {
    const id = await person('role-change@example.org', 'Rhea Role', 'member');
    const token = generateSessionToken();
    await createSession(t.conn, token, id);
    expect(await setNetworkRole(t.conn, id, 'staff', { actorId: staffId })).toEqual({
      ok: true,
      value: { from: 'member', to: 'staff' },
    });
    // A new role means a new sign-in: no session keeps what the old role allowed.
    expect((await validateSessionToken(t.conn, token)).session).toBeNull();
    const second = generateSessionToken();
    await createSession(t.conn, second, id);
    const disabled = await setUserDisabled(t.conn, id, true, { actorId: staffId });
    expect(disabled).toEqual({ ok: true, value: { endedSessions: 1 } });
    expect((await validateSessionToken(t.conn, second)).session).toBeNull();
    await setUserDisabled(t.conn, id, false, { actorId: staffId });

    const detail = await getPerson(t.conn, id);
    expect(detail?.networkRole).toBe('staff');
    expect(detail?.disabled).toBe(false);
    expect(detail?.history.map((h) => [h.action, h.actorName])).toEqual([
      ['user.enable', 'Sam Staff'],
      ['user.disable', 'Sam Staff'],
      ['user.role.change', 'Sam Staff'],
      ['user.create', null],
    ]);
    expect(detail?.history[2]?.details).toEqual({ from: 'member', to: 'staff', endedSessions: 1 });
  });

  it('finds people by part of a name or email, role and status', async () => {
    await person('finder-one@example.org', 'Filip Finder', 'member');
    const off = await person('finder-two@example.org', 'Fiona Finder', 'affiliate');
    await setUserDisabled(t.conn, off, true, { actorId: staffId });
    expect((await listPeople(t.conn, { query: 'FINDER' })).people.map((p) => p.name)).toEqual([
      'Filip Finder',
      'Fiona Finder',
    ]);
    expect((await listPeople(t.conn, { query: 'finder', disabled: true })).people.map((p) => p.name)).toEqual(
      ['Fiona Finder'],
    );
    expect((await listPeople(t.conn, { query: 'finder', role: 'member' })).total).toBe(1);
    // Regular-expression characters are searched for as text.
    expect((await listPeople(t.conn, { query: '.*' })).total).toBe(0);
    expect(await getPerson(t.conn, 'nope')).toBeNull();
  });
});

describe('request bursts in the audit log', () => {
  it('a password-reset burst for an email, registered or not, is audited once when it locks', async () => {
    const email = 'burst@example.org';
    const mailer = { send: () => Promise.reject(new Error('no mail is sent for an unknown email')) };
    for (let i = 0; i < PASSWORD_RESET_LIMITS.account.maxFailures + 2; i++) {
      const r = await requestPasswordReset(
        t.conn,
        { email, address: `203.0.113.${i}`, origin: 'http://localhost' },
        { mailer },
      );
      if (r.ok) await r.delivery;
    }
    const bursts = await listAuditEvents(t.conn, { action: 'passwordReset.lockout', subjectId: email });
    expect(bursts).toHaveLength(1);
    expect(bursts[0]?.subject).toEqual({ kind: 'account', id: email });
  });
});

describe('audit log pages', () => {
  it('pages newest first without skipping or repeating events at the same instant', async () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    for (let i = 0; i < 5; i++) {
      await recordAudit(t.conn, { action: 'test.paging.event', actorId: staffId, at, details: { i } });
    }
    const seen: unknown[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await listAuditPage(t.conn, { action: 'test.paging.', limit: 2, cursor });
      for (const e of page.events) seen.push((e.details as Record<string, unknown>).i);
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([4, 3, 2, 1, 0]);
  });

  it('matches an action and the actions under it, not a longer word', async () => {
    for (const action of ['test.prefix', 'test.prefix.deeper', 'test.prefixed']) {
      await recordAudit(t.conn, { action, actorId: staffId });
    }
    const found = await listAuditPage(t.conn, { action: 'test.prefix' });
    expect(found.events.map((e) => e.action).sort()).toEqual(['test.prefix', 'test.prefix.deeper']);
    const under = await listAuditPage(t.conn, { action: 'test.prefix.' });
    expect(under.events.map((e) => e.action)).toEqual(['test.prefix.deeper']);
  });

  it('filters by actor, subject and date range', async () => {
    const other = await person('other-actor@example.org', 'Otto Other', 'staff');
    await recordAudit(t.conn, {
      action: 'test.filter.event',
      actorId: other,
      subject: { kind: 'user', id: 'subject-a' },
      at: new Date('2031-05-01T10:00:00Z'),
    });
    await recordAudit(t.conn, {
      action: 'test.filter.event',
      actorId: staffId,
      subject: { kind: 'user', id: 'subject-b' },
      at: new Date('2031-06-01T10:00:00Z'),
    });
    const byActor = await listAuditPage(t.conn, { action: 'test.filter.', actorId: other });
    expect(byActor.events.map((e) => e.subject?.id)).toEqual(['subject-a']);
    const bySubject = await listAuditPage(t.conn, { action: 'test.filter.', subjectId: 'subject-b' });
    expect(bySubject.events).toHaveLength(1);
    const inMay = await listAuditPage(t.conn, {
      action: 'test.filter.',
      from: '2031-05-01T00:00:00Z',
      to: '2031-05-31T23:59:59Z',
    });
    expect(inMay.events.map((e) => e.subject?.id)).toEqual(['subject-a']);
  });
});
