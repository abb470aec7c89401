/**
 * Without SMTP_URL: messages land in the outbox, in a real database (the embedded server on a temp folder,
 * or MONGODB_URL), full links included, for staff to read in the app. list is newest first and pages with
 * `before`; get returns one message in full.
 */
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMailer,
  createOutbox,
  ensureOutboxIndexes,
  outboxModel,
  MailConfigError,
  OutboxQueryError,
  readMailEnv,
  OUTBOX_ONLY_FROM,
  type Mailer,
} from '../../src/mail/index';
import { captureLogger, FROM, ORIGIN, startMailDatabase, TOKEN, type MailTestDatabase } from './fixtures';

let database: MailTestDatabase;
let mailer: Mailer;
const log = captureLogger();

beforeAll(async () => {
  database = await startMailDatabase();
  await ensureOutboxIndexes(database.conn);
  mailer = createMailer({ from: FROM, connection: database.conn, logger: log.logger });
});

afterAll(async () => {
  await mailer.close();
  await database.close();
});

const EXPIRES = new Date('2026-12-01T17:30:00Z');

function reset(to: string, language: 'en' | 'fr' = 'en') {
  return mailer.send({
    to,
    language,
    origin: ORIGIN,
    template: 'password-reset',
    params: { token: TOKEN, expiresAt: EXPIRES },
  });
}

describe('the outbox, without SMTP', () => {
  it('keeps the message in the database, links included, and says so', async () => {
    expect(mailer.delivery).toBe('outbox');
    const result = await mailer.send({
      to: 'Ana@Example.org',
      language: 'fr',
      origin: ORIGIN,
      template: 'invitation',
      params: { inviterName: 'Liz Ayre', token: TOKEN, expiresAt: EXPIRES },
    });
    expect(result.delivery).toBe('outbox');

    // Read back through a second connection of the official driver: it is really stored in the database.
    const raw = await database.db.client
      .db(database.db.dbName)
      .collection('mail_outbox')
      .findOne({ _id: new mongoose.Types.ObjectId(result.id) });
    expect(raw).toMatchObject({
      to: 'ana@example.org',
      from: FROM,
      language: 'fr',
      template: 'invitation',
      delivery: 'outbox',
      status: 'outbox',
      subject: 'Invitation à COPE Workspace en tant que membre individuel',
      linksRedacted: false,
    });

    const entry = await mailer.outbox.get(result.id);
    expect(entry?.text).toContain(`${ORIGIN}/invitations/${TOKEN}`);
    expect(entry?.html).toContain(`href="${ORIGIN}/invitations/${TOKEN}"`);
    expect(entry?.error).toBeNull();
    expect(entry?.sentAt).toBeNull();
    expect(log.lines.join('\n')).toContain('mail: kept in the outbox');
  });

  it('lists newest first, pages with `before`, and get returns each in full', async () => {
    const outbox = createOutbox(database.conn);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await reset(`person${i}@example.org`)).id);
    const newestFirst = [...ids].reverse();

    const firstPage = await outbox.list({ limit: 2 });
    expect(firstPage.map((e) => e.id)).toEqual(newestFirst.slice(0, 2));
    expect(firstPage[0]).toMatchObject({
      to: 'person4@example.org',
      template: 'password-reset',
      status: 'outbox',
    });
    // A summary carries no body.
    expect(firstPage[0]).not.toHaveProperty('text');

    const secondPage = await outbox.list({ limit: 2, before: firstPage[1]?.id });
    expect(secondPage.map((e) => e.id)).toEqual(newestFirst.slice(2, 4));

    const all = await outbox.list({ limit: 100 });
    expect(all.slice(0, 5).map((e) => e.id)).toEqual(newestFirst);
    for (let i = 1; i < all.length; i++) {
      expect((all[i - 1]?.createdAt.getTime() ?? 0) >= (all[i]?.createdAt.getTime() ?? 0)).toBe(true);
    }

    for (const [i, id] of ids.entries()) {
      const entry = await outbox.get(id);
      expect(entry?.to).toBe(`person${i}@example.org`);
      expect(entry?.subject).toBe('Reset your COPE Workspace password');
    }
  });

  it('orders by creation time, not by id: ids made by two processes in one second are not in time order', async () => {
    const Outbox = outboxModel(database.conn);
    const [id1, id2, id3] = [
      new mongoose.Types.ObjectId(),
      new mongoose.Types.ObjectId(),
      new mongoose.Types.ObjectId(),
    ];
    // An hour ahead, so that these three are the newest messages of this database.
    const t = new Date(Date.now() + 3_600_000);
    const later = new Date(t.getTime() + 1);
    const fields = {
      from: FROM,
      language: 'en',
      template: 'application-received',
      text: 't',
      html: '<p>t</p>',
      linksRedacted: false,
      delivery: 'outbox',
      status: 'outbox',
    } as const;
    await Outbox.create([
      { ...fields, _id: id3, createdAt: t, to: 'a@example.org', subject: 'A' },
      { ...fields, _id: id1, createdAt: later, to: 'b@example.org', subject: 'B' },
      { ...fields, _id: id2, createdAt: later, to: 'c@example.org', subject: 'C' },
    ]);
    const outbox = createOutbox(database.conn);
    expect((await outbox.list({ limit: 3 })).map((e) => e.subject)).toEqual(['C', 'B', 'A']);
    expect(
      (await outbox.list({ limit: 5, before: id2.toHexString() })).slice(0, 2).map((e) => e.subject),
    ).toEqual(['B', 'A']);
    expect((await outbox.list({ limit: 1, before: id1.toHexString() })).map((e) => e.subject)).toEqual(['A']);
    await Outbox.deleteMany({ _id: { $in: [id1, id2, id3] } });
    // Paging on from a message that is gone yields nothing rather than an error.
    expect(await outbox.list({ before: id1.toHexString() })).toEqual([]);
  });

  it('get answers null for an unknown or malformed id rather than throwing', async () => {
    expect(await mailer.outbox.get('0123456789abcdef01234567')).toBeNull();
    expect(await mailer.outbox.get('not-an-id')).toBeNull();
    expect(await mailer.outbox.get({ $ne: null } as unknown as string)).toBeNull();
  });

  it('refuses list options that are not valid with a clear error', async () => {
    await expect(mailer.outbox.list({ limit: 0 })).rejects.toThrow(OutboxQueryError);
    await expect(mailer.outbox.list({ limit: 101 })).rejects.toThrow(/limit/);
    await expect(mailer.outbox.list({ before: 'yesterday' })).rejects.toThrow(
      /before: Not an outbox message id/,
    );
    await expect(mailer.outbox.list({ status: 'lost' as never })).rejects.toThrow(/status/);
  });

  it('stores nothing for an invalid message', async () => {
    const before = (await mailer.outbox.list({ limit: 100 })).length;
    await expect(
      mailer.send({
        to: 'ana@example.org',
        language: 'fr',
        origin: ORIGIN,
        template: 'application-rejected',
        params: { organisationName: 'Org', contactName: 'Ana', reason: '   ' },
      }),
    ).rejects.toThrow(/params\.reason/);
    expect((await mailer.outbox.list({ limit: 100 })).length).toBe(before);
  });
});

describe('configuration', () => {
  it('reads SMTP_URL and MAIL_FROM, empty meaning unset', () => {
    expect(readMailEnv({})).toEqual({ smtpUrl: undefined, from: OUTBOX_ONLY_FROM });
    expect(readMailEnv({ SMTP_URL: '', MAIL_FROM: 'a@example.org' })).toEqual({
      smtpUrl: undefined,
      from: 'a@example.org',
    });
    expect(() => readMailEnv({ SMTP_URL: 'smtp://localhost:25' })).toThrow(/MAIL_FROM is required/);
  });

  it('refuses a bad SMTP_URL or MAIL_FROM without echoing the URL', () => {
    const { logger } = captureLogger();
    const conn = database.conn;
    for (const smtpUrl of [
      'http://user:hunter22@mail.example.org',
      'smtp//user:hunter22@',
      'smtp://user:hunter22@',
    ]) {
      let caught: unknown;
      try {
        createMailer({ smtpUrl, from: FROM, connection: conn, logger });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MailConfigError);
      expect((caught as Error).message).toMatch(/SMTP_URL/);
      expect((caught as Error).message).not.toContain('hunter22');
    }
    expect(() => createMailer({ from: 'not an address', connection: conn, logger })).toThrow(/MAIL_FROM/);
    expect(() =>
      createMailer({ from: 'X <a@example.org>\r\nBcc: b@example.org', connection: conn, logger }),
    ).toThrow(MailConfigError);
  });

  it('a closed mailer refuses to send', async () => {
    const closed = createMailer({ from: FROM, connection: database.conn, logger: captureLogger().logger });
    await closed.close();
    await expect(reset('late@example.org')).resolves.toBeDefined();
    await expect(
      closed.send({
        to: 'a@example.org',
        language: 'en',
        origin: ORIGIN,
        template: 'application-received',
        params: { organisationName: 'O', contactName: 'A' },
      }),
    ).rejects.toThrow(/closed/);
  });
});
