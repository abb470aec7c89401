/**
 * Real SMTP: the mailer talks to an smtp-server started in this process on a free loopback port, which
 * parses each message with mailparser. The outbox is in a real database (the embedded server on a temp
 * folder, or MONGODB_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMailer,
  MailDeliveryError,
  MailInputError,
  type Mailer,
  type MailMessage,
} from '../../src/mail/index';
import { outboxModel } from '../../src/mail/outbox';
import {
  captureLogger,
  FROM,
  ORIGIN,
  startMailDatabase,
  startSmtpSink,
  TOKEN,
  type MailTestDatabase,
} from './fixtures';

let database: MailTestDatabase;

beforeAll(async () => {
  database = await startMailDatabase();
});

afterAll(async () => {
  await database.close();
});

const EXPIRES = new Date('2026-12-01T17:30:00Z');

function invitation(overrides: Partial<Extract<MailMessage, { template: 'invitation' }>> = {}): MailMessage {
  return {
    to: 'ana@example.org',
    language: 'en',
    origin: ORIGIN,
    template: 'invitation',
    params: {
      inviterName: 'Liz Ayre',
      organisationName: 'Relais Enfants Parents',
      token: TOKEN,
      expiresAt: EXPIRES,
    },
    ...overrides,
  };
}

describe('delivery over SMTP', () => {
  let mailer: Mailer;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = createMailer({
      smtpUrl: sink.url,
      from: FROM,
      connection: database.conn,
      logger: captureLogger().logger,
    });
  });

  afterAll(async () => {
    await mailer.close();
    await sink.close();
  });

  it('delivers an invitation in English with its subject, body and link', async () => {
    const result = await mailer.send(invitation({ to: 'ana.en@example.org' }));
    expect(result.delivery).toBe('smtp');
    const mail = sink.received.at(-1);
    expect(mail?.subject).toBe('Invitation to COPE Workspace for Relais Enfants Parents');
    expect(mail?.from?.text).toBe('"COPE Workspace" <workspace@example.org>');
    expect(sink.envelopes.at(-1)).toEqual(['ana.en@example.org']);
    expect(mail?.text).toContain('Liz Ayre invites you to join COPE Workspace');
    expect(mail?.text).toContain(`${ORIGIN}/invitations/${TOKEN}`);
    expect(mail?.text).toContain('1 December 2026 at 17:30 (UTC)');
    expect(mail?.html).toContain(`href="${ORIGIN}/invitations/${TOKEN}"`);
    expect(mail?.html).toContain('<html lang="en">');
  });

  it('delivers an invitation in French with its subject, body and link', async () => {
    await mailer.send(invitation({ to: 'ana.fr@example.org', language: 'fr' }));
    const mail = sink.received.at(-1);
    expect(mail?.subject).toBe('Invitation à COPE Workspace pour Relais Enfants Parents');
    expect(sink.envelopes.at(-1)).toEqual(['ana.fr@example.org']);
    expect(mail?.text).toContain('Liz Ayre vous invite à rejoindre COPE Workspace');
    expect(mail?.text).toContain('expire le 1 décembre 2026 à 17:30 (UTC)');
    expect(mail?.text).toContain(`${ORIGIN}/invitations/${TOKEN}`);
    expect(mail?.html).toContain('<html lang="fr">');
    expect(mail?.html).toContain(`href="${ORIGIN}/invitations/${TOKEN}"`);
  });

  it('escapes hostile names in the HTML that arrives', async () => {
    const hostile = '<script>alert(1)</script>';
    await mailer.send(
      invitation({
        params: {
          inviterName: hostile,
          organisationName: `${hostile} Org`,
          token: TOKEN,
          expiresAt: EXPIRES,
        },
      }),
    );
    const mail = sink.received.at(-1);
    const html = typeof mail?.html === 'string' ? mail.html : '';
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The subject is a header, not HTML: it arrives as typed.
    expect(mail?.subject).toBe(`Invitation to COPE Workspace for ${hostile} Org`);
  });

  it('records what went out as sent, without the single-use link', async () => {
    const { id } = await mailer.send(invitation({ to: 'record@example.org' }));
    const entry = await mailer.outbox.get(id);
    expect(entry).toMatchObject({
      id,
      to: 'record@example.org',
      delivery: 'smtp',
      status: 'sent',
      error: null,
      template: 'invitation',
      language: 'en',
      subject: 'Invitation to COPE Workspace for Relais Enfants Parents',
      linksRedacted: true,
    });
    expect(entry?.sentAt).toBeInstanceOf(Date);
    expect(entry?.smtpMessageId).toMatch(/^<.+@.+>$/);
    expect(entry?.text).toContain(`${ORIGIN}/invitations/`);
    expect(entry?.text).not.toContain(TOKEN);
    expect(entry?.html).not.toContain(TOKEN);
    // The message that arrived carries that Message-ID.
    expect(sink.received.at(-1)?.messageId).toBe(entry?.smtpMessageId);
  });

  it('sets Reply-To when the caller gives one', async () => {
    await mailer.send({
      to: 'applicant@example.org',
      language: 'en',
      origin: ORIGIN,
      replyTo: 'secretariat@example.org',
      template: 'application-more-info',
      params: { organisationName: 'Org', contactName: 'Ana', request: 'The second annual report.' },
    });
    expect(sink.received.at(-1)?.replyTo?.text).toBe('secretariat@example.org');
  });

  it('refuses invalid input with a clear error and sends and stores nothing', async () => {
    const before = sink.received.length;
    const stored = await outboxModel(database.conn).countDocuments();
    await expect(mailer.send(invitation({ to: 'not an address' }))).rejects.toThrow(MailInputError);
    await expect(mailer.send(invitation({ to: 'not an address' }))).rejects.toThrow(
      /^Invalid mail message: to: /,
    );
    expect(sink.received.length).toBe(before);
    expect(await outboxModel(database.conn).countDocuments()).toBe(stored);
  });
});

describe('SMTP failures', () => {
  it('a server that rejects the recipient: send rejects with a clear error and the outbox says failed', async () => {
    const sink = await startSmtpSink({ rejectRecipients: { code: 550, message: 'Mailbox unavailable' } });
    const { logger } = captureLogger();
    const mailer = createMailer({ smtpUrl: sink.url, from: FROM, connection: database.conn, logger });
    try {
      let caught: unknown;
      try {
        await mailer.send(invitation({ to: 'nobody@example.org' }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(MailDeliveryError);
      const error = caught as MailDeliveryError;
      expect(error.message).toMatch(
        /^Could not send the "invitation" mail over SMTP \(smtp:\/\/127\.0\.0\.1:\d+\): /,
      );
      expect(error.message).toContain('Mailbox unavailable');
      expect(sink.received).toHaveLength(0);

      const entry = await mailer.outbox.get(error.id);
      expect(entry).toMatchObject({
        to: 'nobody@example.org',
        delivery: 'smtp',
        status: 'failed',
        sentAt: null,
      });
      expect(entry?.error).toContain('550');
      expect(entry?.error).toContain('Mailbox unavailable');
      const [latest] = await mailer.outbox.list({ limit: 1 });
      expect(latest?.id).toBe(error.id);
      expect(latest?.status).toBe('failed');
      // Staff can list the failures alone.
      const failures = await mailer.outbox.list({ status: 'failed' });
      expect(failures.map((e) => e.id)).toContain(error.id);
      expect(failures.every((e) => e.status === 'failed')).toBe(true);
      expect((await mailer.outbox.list({ status: 'sent', limit: 100 })).map((e) => e.id)).not.toContain(
        error.id,
      );
    } finally {
      await mailer.close();
      await sink.close();
    }
  });

  it('uses the credentials of SMTP_URL and never logs or stores them, even when the server echoes them', async () => {
    const user = 'cope-mailer';
    const pass = 'Sup3r-s3cret-pa55';
    const sink = await startSmtpSink({
      auth: { user, pass, failureMessage: (u, p) => `Authentication failed for ${u} with ${p}` },
    });
    const good = captureLogger();
    const withAuth = createMailer({
      smtpUrl: `smtp://${user}:${pass}@127.0.0.1:${sink.port}`,
      from: FROM,
      connection: database.conn,
      logger: good.logger,
    });
    const bad = captureLogger();
    const wrongPassword = 'Wr0ng-pa55word';
    const withWrongAuth = createMailer({
      smtpUrl: `smtp://${user}:${wrongPassword}@127.0.0.1:${sink.port}`,
      from: FROM,
      connection: database.conn,
      logger: bad.logger,
    });
    try {
      const sent = await withAuth.send(invitation({ to: 'auth@example.org' }));
      expect(sink.received.at(-1)?.subject).toContain('Invitation');

      const error = await withWrongAuth.send(invitation({ to: 'auth@example.org' })).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MailDeliveryError);
      const failure = error as MailDeliveryError;
      // The server's answer is kept (so staff know it was a login problem), the password is not.
      expect(failure.message).toContain('Authentication failed for [redacted] with [redacted]');
      expect(failure.message).not.toContain(wrongPassword);

      const entries = [await withAuth.outbox.get(sent.id), await withAuth.outbox.get(failure.id)];
      expect(entries[1]?.status).toBe('failed');
      const stored = JSON.stringify(entries);
      const logged = [...good.lines, ...bad.lines].join('\n');
      expect(logged).toContain('mail: sent over SMTP');
      expect(logged).toContain('mail: SMTP delivery failed');
      for (const secret of [pass, wrongPassword, user]) {
        expect(stored).not.toContain(secret);
        expect(logged).not.toContain(secret);
      }
    } finally {
      await withAuth.close();
      await withWrongAuth.close();
      await sink.close();
    }
  });
});
