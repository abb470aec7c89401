import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cope/domain';
import {
  APPLICATION_FILE_MAX_BYTES,
  decideApplication,
  getApplication,
  listApplications,
  readApplicationFile,
  submitApplication,
} from '../../src/accounts/applications';
import { listAuditEvents } from '../../src/accounts/audit';
import { createUser } from '../../src/accounts/users';
import { createMailer } from '../../src/mail/mailer';
import type { Mailer } from '../../src/mail/mailer';
import { outboxModel } from '../../src/mail/outbox';
import { models } from '../../src/models/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

const ORIGIN = 'https://workspace.example.org';
const logger = pino({ level: 'silent' });

let t: MongooseTestDatabase;
let mailer: Mailer;
let staff: Actor;
let member: Actor;

async function account(email: string, networkRole: 'staff' | 'member', name: string): Promise<Actor> {
  const r = await createUser(t.conn, { email, name, networkRole }, { actorId: null });
  if (!r.ok) throw new Error(r.message);
  return { userId: r.value.id, networkRole, disabled: false };
}

/** A minimal PDF: the magic bytes, one empty page, the trailer. */
function pdf(label: string): Uint8Array {
  return new TextEncoder().encode(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${label}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

let addressCounter = 0;
function ctx() {
  addressCounter += 1;
  return { address: `192.0.2.${addressCounter}`, origin: ORIGIN, mailer };
}

function fields(overrides: Record<string, unknown> = {}) {
  return {
    organisationName: 'Kinder Zusammen',
    country: 'DE',
    legalStatus: 'Eingetragener Verein (e.V.)',
    website: 'https://kinder.example.org',
    contactName: 'Greta Weber',
    contactEmail: 'greta@kinder.example.org',
    contactLocale: 'fr',
    motivation: 'We work with children of families in prison.',
    referenceName: 'Children of Prisoners Europe partner',
    referenceContact: 'ref@example.org',
    ...overrides,
  };
}

const reports = () => [
  { filename: 'report-2024.pdf', data: pdf('2024') },
  { filename: 'report-2025.pdf', data: pdf('2025') },
];

beforeAll(async () => {
  t = await startMongooseDatabase();
  mailer = createMailer({ connection: t.conn, from: 'COPE <no-reply@example.org>', logger });
  staff = await account('staff@example.org', 'staff', 'Sam Staff');
  member = await account('member@example.org', 'member', 'Mo Member');
});
afterAll(async () => {
  await mailer?.close();
  await t?.close();
});

describe('applications', () => {
  it('stores a valid application with its two PDFs and mails the contact in their language', async () => {
    const r = await submitApplication(t.conn, fields(), reports(), ctx());
    if (!r.ok) throw new Error(`${r.message} ${JSON.stringify(r.fieldErrors)}`);
    expect(r.value).toMatchObject({ status: 'pending', organisationName: 'Kinder Zusammen', country: 'DE' });
    expect(r.value.reports.map((x) => x.filename)).toEqual(['report-2024.pdf', 'report-2025.pdf']);
    const file = await readApplicationFile(t.conn, r.value.id, 1, { actor: staff });
    if (!file.ok) throw new Error(file.message);
    expect(Buffer.compare(file.value.data, Buffer.from(pdf('2025')))).toBe(0);
    const mail = await outboxModel(t.conn).findOne({ to: 'greta@kinder.example.org' }).lean();
    expect(mail?.subject ?? '').toContain('Kinder Zusammen');
    expect(mail?.text ?? '').toContain('Greta Weber');
    // French, the contact's language.
    expect(mail?.text ?? '').toMatch(/Bonjour/);
  });

  it('refuses a non-PDF (even named .pdf), an empty file and a file over 10 MB, storing nothing', async () => {
    const before = await models(t.conn).Application.countDocuments();
    const filesBefore = await models(t.conn).ApplicationFile.countDocuments();
    const notPdf = await submitApplication(
      t.conn,
      fields(),
      [{ filename: 'report.pdf', data: new TextEncoder().encode('<html>not a pdf</html>') }, reports()[1]],
      ctx(),
    );
    expect(notPdf).toMatchObject({ ok: false, code: 'invalidInput', fieldErrors: { report1: 'notPdf' } });
    const big = new Uint8Array(APPLICATION_FILE_MAX_BYTES + 1);
    big.set(pdf('big'));
    const tooLarge = await submitApplication(
      t.conn,
      fields(),
      [reports()[0], { filename: 'big.pdf', data: big }],
      ctx(),
    );
    expect(tooLarge).toMatchObject({ ok: false, fieldErrors: { report2: 'tooLarge' } });
    const empty = await submitApplication(
      t.conn,
      fields(),
      [{ filename: 'a.pdf', data: new Uint8Array(0) }],
      ctx(),
    );
    expect(empty).toMatchObject({ ok: false, fieldErrors: { report1: 'empty', report2: 'missing' } });
    const badFields = await submitApplication(
      t.conn,
      fields({ organisationName: '', contactEmail: 'nope', country: 'XX' }),
      reports(),
      ctx(),
    );
    expect(badFields).toMatchObject({ ok: false, code: 'invalidInput' });
    if (badFields.ok) throw new Error('accepted');
    expect(Object.keys(badFields.fieldErrors ?? {}).sort()).toEqual([
      'contactEmail',
      'country',
      'organisationName',
    ]);
    expect(await models(t.conn).Application.countDocuments()).toBe(before);
    expect(await models(t.conn).ApplicationFile.countDocuments()).toBe(filesBefore);
  });

  it('limits submissions per address', async () => {
    const c = ctx();
    const results = [];
    for (let i = 0; i < 6; i++) {
      results.push(
        await submitApplication(t.conn, fields({ contactEmail: `flood${i}@example.org` }), reports(), c),
      );
    }
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results[5]).toMatchObject({ ok: false, code: 'rateLimited' });
  });

  it('approve as applicant: the organisation is created (term from today), the contact invited and mailed, audited', async () => {
    const clock = manualClock();
    const submitted = await submitApplication(
      t.conn,
      fields({
        organisationName: 'Famiglie Unite',
        country: 'IT',
        contactEmail: 'lucia@famiglie.example.org',
        contactLocale: 'en',
        contactName: 'Lucia Rossi',
      }),
      reports(),
      ctx(),
    );
    if (!submitted.ok) throw new Error(submitted.message);
    const decided = await decideApplication(
      t.conn,
      submitted.value.id,
      { kind: 'approve', category: 'applicant' },
      { actor: staff, origin: ORIGIN, mailer, clock: clock.now },
    );
    if (!decided.ok) throw new Error(decided.message);
    expect(decided.value.status).toBe('approved');
    const org = await models(t.conn).Organisation.findById(decided.value.organisationId).lean();
    expect(org).toMatchObject({ name: 'Famiglie Unite', country: 'IT', category: 'applicant' });
    expect(org?.termStart?.getTime()).toBe(clock.now());
    const invitation = await models(t.conn)
      .Invitation.findOne({ email: 'lucia@famiglie.example.org' })
      .lean();
    expect(invitation?.organisationId?.toHexString()).toBe(decided.value.organisationId);
    const mails = await outboxModel(t.conn).find({ to: 'lucia@famiglie.example.org' }).lean();
    expect(mails.map((m) => m.template).sort()).toEqual([
      'application-approved',
      'application-received',
      'invitation',
    ]);
    const events = await listAuditEvents(t.conn, { action: 'application.approve' });
    expect(events[0]).toMatchObject({ subject: { kind: 'application', id: submitted.value.id } });
    expect(events[0]?.actorId?.toHexString()).toBe(staff.userId);
    // Decided once only.
    const again = await decideApplication(
      t.conn,
      submitted.value.id,
      { kind: 'reject', reason: 'No' },
      { actor: staff, origin: ORIGIN, mailer },
    );
    expect(again).toMatchObject({ ok: false, code: 'decided' });
  });

  it('more-info then reject send the matching mails; a member is refused everywhere', async () => {
    const submitted = await submitApplication(
      t.conn,
      fields({
        organisationName: 'Ninos Juntos',
        country: 'ES',
        contactEmail: 'ana@ninos.example.org',
        contactLocale: 'en',
        contactName: 'Ana Ruiz',
      }),
      reports(),
      ctx(),
    );
    if (!submitted.ok) throw new Error(submitted.message);
    const id = submitted.value.id;
    const asMember = { actor: member, origin: ORIGIN, mailer };
    expect(await decideApplication(t.conn, id, { kind: 'reject', reason: 'x' }, asMember)).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await listApplications(t.conn, {}, { actor: member })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await getApplication(t.conn, id, { actor: null })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await readApplicationFile(t.conn, id, 0, { actor: member })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });

    const asStaff = { actor: staff, origin: ORIGIN, mailer };
    const more = await decideApplication(
      t.conn,
      id,
      { kind: 'more-info', message: 'Please send your statutes.' },
      asStaff,
    );
    expect(more).toMatchObject({ ok: true, value: { status: 'more-info-requested' } });
    const rejected = await decideApplication(
      t.conn,
      id,
      { kind: 'reject', reason: 'Outside our scope.' },
      asStaff,
    );
    expect(rejected).toMatchObject({ ok: true, value: { status: 'rejected' } });
    const mails = await outboxModel(t.conn)
      .find({ to: 'ana@ninos.example.org' })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    expect(mails.map((m) => m.template)).toEqual([
      'application-received',
      'application-more-info',
      'application-rejected',
    ]);
    expect(mails[1]?.text ?? '').toContain('Please send your statutes.');
    expect(mails[2]?.text ?? '').toContain('Outside our scope.');
    expect(await models(t.conn).Organisation.exists({ name: 'Ninos Juntos' })).toBeNull();

    const queue = await listApplications(t.conn, {}, { actor: staff });
    if (!queue.ok) throw new Error(queue.message);
    const statuses = queue.value.map((a) => a.status);
    expect(statuses.indexOf('pending')).toBe(0);
    expect(statuses.lastIndexOf('pending')).toBeLessThan(statuses.indexOf('approved'));
  });
});
