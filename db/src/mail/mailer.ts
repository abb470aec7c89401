/**
 * The mailer: validates a message, renders it in the recipient's language, and either hands it to SMTP
 * (`smtpUrl` set) or keeps it in the outbox for staff to read. Either way the outbox records it.
 *
 *   const mailer = createMailer({ smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, connection, logger });
 *   await mailer.send({ to, language: 'fr', origin, template: 'invitation', params: { … } });
 */
import { z } from 'zod';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import { parseMailMessage, type MailMessage } from './message';
import { createOutbox, outboxModel, type MailDelivery, type Outbox, type OutboxRecord } from './outbox';
import {
  createSmtpTransport,
  DEFAULT_SMTP_TIMEOUTS,
  MailConfigError,
  parseSmtpUrl,
  scrub,
  type SmtpSettings,
  type SmtpTimeouts,
  type SmtpTransport,
} from './smtp';
import { renderMail } from './templates/render';

/** The part of a pino logger the mailer uses. */
export type MailLogger = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface MailerOptions {
  /** `SMTP_URL`. Unset or empty: messages stay in the outbox. */
  smtpUrl?: string | undefined;
  /** `MAIL_FROM`, e.g. `COPE Workspace <workspace@copenetwork.org>`. */
  from: string;
  /** The app's database connection; the outbox lives there. */
  connection: Connection;
  logger: MailLogger;
  /** SMTP timeouts; the defaults suit production. */
  smtpTimeouts?: Partial<SmtpTimeouts>;
}

export interface SendResult {
  /** The outbox id of the message. */
  id: string;
  delivery: MailDelivery;
}

export interface Mailer {
  /** How messages leave: over SMTP, or into the outbox only. */
  readonly delivery: MailDelivery;
  /**
   * Sends one message. Rejects with `MailInputError` (nothing stored or sent) for invalid input, and with
   * `MailDeliveryError` when the SMTP server refuses it (recorded as `failed` in the outbox).
   */
  send(message: MailMessage): Promise<SendResult>;
  readonly outbox: Outbox;
  /** Closes the SMTP connection. The database connection is the caller's and stays open. */
  close(): Promise<void>;
}

/** The SMTP server could not be reached or refused the message. `id` is its outbox entry (status `failed`). */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly id: string,
  ) {
    super(message);
    this.name = 'MailDeliveryError';
  }
}

/** `Name <address>` or a bare address, on one line. */
const fromSchema = z
  .string()
  .trim()
  .min(1)
  .max(400)
  .refine(
    (s) => {
      const match = /^(?:[^<>\r\n\t"]*<([^<>\s]+)>|([^<>\s]+))$/.exec(s);
      const address = match?.[1] ?? match?.[2];
      return address !== undefined && z.email().safeParse(address).success;
    },
    {
      message:
        'MAIL_FROM must be an address, optionally with a name: "COPE Workspace <workspace@example.org>"',
    },
  );

export function createMailer(options: MailerOptions): Mailer {
  const fromResult = fromSchema.safeParse(options.from);
  if (!fromResult.success)
    throw new MailConfigError(fromResult.error.issues.map((i) => i.message).join('; '));
  const from = fromResult.data;
  const { connection, logger } = options;
  const smtp: SmtpSettings | null =
    options.smtpUrl === undefined || options.smtpUrl.trim() === ''
      ? null
      : parseSmtpUrl(options.smtpUrl.trim());
  const timeouts: SmtpTimeouts = { ...DEFAULT_SMTP_TIMEOUTS, ...options.smtpTimeouts };
  let transport: SmtpTransport | null = smtp === null ? null : createSmtpTransport(smtp, timeouts);
  let closed = false;
  const Outbox = outboxModel(connection);
  const delivery: MailDelivery = smtp === null ? 'outbox' : 'smtp';

  logger.info({ delivery, smtpServer: smtp?.displayName }, 'mail: ready');

  async function send(input: MailMessage): Promise<SendResult> {
    if (closed) throw new Error('The mailer is closed');
    const message = parseMailMessage(input);
    const base = {
      createdAt: new Date(),
      from,
      to: message.to,
      replyTo: message.replyTo ?? null,
      language: message.language,
      template: message.template,
    };

    if (smtp === null || transport === null) {
      const mail = renderMail(message);
      const record = await Outbox.create({
        ...base,
        ...mail,
        linksRedacted: false,
        delivery: 'outbox',
        status: 'outbox',
      } satisfies Omit<OutboxRecord, '_id'>);
      const id = record._id.toHexString();
      logger.info(
        { mailId: id, template: message.template, language: message.language },
        'mail: kept in the outbox',
      );
      return { id, delivery: 'outbox' };
    }

    // Recorded before the attempt: if the process dies mid-send, staff still see a message left `sending`.
    const record = await Outbox.create({
      ...base,
      ...renderMail(message, { redactTokens: true }),
      linksRedacted: true,
      delivery: 'smtp',
      status: 'sending',
    } satisfies Omit<OutboxRecord, '_id'>);
    const id = record._id.toHexString();
    const mail = renderMail(message);
    try {
      const info = await transport.sendMail({
        from,
        to: message.to,
        ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      await recordOutcome(id, {
        status: 'sent',
        sentAt: new Date(),
        smtpMessageId: info.messageId.slice(0, 1000),
      });
      logger.info(
        { mailId: id, template: message.template, smtpServer: smtp.displayName },
        'mail: sent over SMTP',
      );
      return { id, delivery: 'smtp' };
    } catch (error) {
      const reason = scrub(error instanceof Error ? error.message : String(error), smtp.secrets).slice(
        0,
        2000,
      );
      await recordOutcome(id, { status: 'failed', error: reason });
      logger.warn(
        { mailId: id, template: message.template, smtpServer: smtp.displayName, reason },
        'mail: SMTP delivery failed',
      );
      throw new MailDeliveryError(
        `Could not send the "${message.template}" mail over SMTP (${smtp.displayName}): ${reason}`,
        id,
      );
    }
  }

  /** The outcome is best effort: a database hiccup here must not turn a delivered mail into an error. */
  async function recordOutcome(id: string, update: Partial<OutboxRecord>): Promise<void> {
    try {
      await Outbox.updateOne({ _id: id }, { $set: update });
    } catch (error) {
      logger.error(
        { mailId: id, status: update.status, err: error instanceof Error ? error.message : String(error) },
        'mail: could not record the SMTP outcome in the outbox',
      );
    }
  }

  return {
    delivery,
    send,
    outbox: createOutbox(connection),
    close() {
      closed = true;
      transport?.close();
      transport = null;
      return Promise.resolve();
    },
  };
}
