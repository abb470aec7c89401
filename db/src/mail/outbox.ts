/**
 * The mail outbox: one document per message, in the app's database (the embedded store in the data folder,
 * or MongoDB in production).
 *
 * Without SMTP it is where mail goes: staff read it in the app, so a fresh install works end to end. With
 * SMTP it is the record of what went out and whether it was accepted (`sent`) or not (`failed`, with the
 * error), written before the SMTP attempt so that even a crash mid-send leaves a trace (`sending`).
 */
import { LOCALES, type Locale } from '@cope/domain';
import { Schema, Types, type Connection, type Model } from 'mongoose';
import { z } from 'zod';
import { TEMPLATE_NAMES, type TemplateName } from './templates/params';

export const MAIL_DELIVERIES = ['smtp', 'outbox'] as const;
export type MailDelivery = (typeof MAIL_DELIVERIES)[number];

/**
 * `outbox`: kept for staff to read (no SMTP configured). `sending`: handed to SMTP, no answer yet.
 * `sent`: the SMTP server accepted it. `failed`: it did not; `error` says why.
 */
export const MAIL_STATUSES = ['outbox', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

export interface OutboxRecord {
  _id: Types.ObjectId;
  createdAt: Date;
  from: string;
  to: string;
  replyTo?: string | null;
  language: Locale;
  template: TemplateName;
  subject: string;
  text: string;
  html: string;
  /** True when the single-use links were removed from this copy (after real SMTP delivery). */
  linksRedacted: boolean;
  delivery: MailDelivery;
  status: MailStatus;
  error?: string | null;
  sentAt?: Date | null;
  /** The Message-ID header, to find the message in the SMTP server's logs. */
  smtpMessageId?: string | null;
}

export const outboxSchema = new Schema<OutboxRecord>(
  {
    createdAt: { type: Date, required: true },
    from: { type: String, required: true, maxlength: 400 },
    to: { type: String, required: true, maxlength: 254 },
    replyTo: { type: String, default: null, maxlength: 254 },
    language: { type: String, required: true, enum: LOCALES },
    template: { type: String, required: true, enum: TEMPLATE_NAMES },
    subject: { type: String, required: true, maxlength: 1000 },
    text: { type: String, required: true },
    html: { type: String, required: true },
    linksRedacted: { type: Boolean, required: true },
    delivery: { type: String, required: true, enum: MAIL_DELIVERIES },
    status: { type: String, required: true, enum: MAIL_STATUSES },
    error: { type: String, default: null, maxlength: 2000 },
    sentAt: { type: Date, default: null },
    smtpMessageId: { type: String, default: null, maxlength: 1000 },
  },
  { collection: 'mail_outbox', versionKey: false, strict: 'throw' },
);
// Listing is newest first by creation time, `_id` breaking ties. Not by `_id` alone: its time part counts
// seconds, and the server and the CLI each make their own ids, so within a second their order is arbitrary.
outboxSchema.index({ createdAt: -1, _id: -1 });

const MODEL_NAME = 'MailOutboxMessage';

/** The outbox model on `conn`, created once per connection. */
export function outboxModel(conn: Connection): Model<OutboxRecord> {
  const existing = conn.models[MODEL_NAME] as Model<OutboxRecord> | undefined;
  return existing ?? conn.model<OutboxRecord>(MODEL_NAME, outboxSchema);
}

/**
 * Builds the outbox's indexes. Call it at start-up with the other models' indexes (connections there are
 * opened with `autoIndex: false`).
 */
export async function ensureOutboxIndexes(conn: Connection): Promise<void> {
  await outboxModel(conn).createIndexes();
}

/** One line of the outbox list. */
export interface OutboxSummary {
  id: string;
  createdAt: Date;
  to: string;
  language: Locale;
  template: TemplateName;
  subject: string;
  delivery: MailDelivery;
  status: MailStatus;
  error: string | null;
  sentAt: Date | null;
}

/** One message in full, as staff open it. */
export interface OutboxEntry extends OutboxSummary {
  from: string;
  replyTo: string | null;
  text: string;
  html: string;
  linksRedacted: boolean;
  smtpMessageId: string | null;
}

export const OUTBOX_PAGE_MAX = 100;

export const outboxListOptionsSchema = z
  .object({
    limit: z.number().int().min(1).max(OUTBOX_PAGE_MAX).default(50),
    /** Only messages in this state, e.g. `failed` for the ones staff should look at. */
    status: z.enum(MAIL_STATUSES).optional(),
    /** The id of the last entry of the previous page: the next page holds older messages. */
    before: z
      .string()
      .regex(/^[0-9a-f]{24}$/i, { message: 'Not an outbox message id' })
      .optional(),
  })
  .strict();

export type OutboxListOptions = z.input<typeof outboxListOptionsSchema>;

/** Thrown by `outbox.list` for options that are not valid. */
export class OutboxQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboxQueryError';
  }
}

export interface Outbox {
  /** Newest first, optionally of one `status`; page with `before` set to the last id of the previous page. */
  list(options?: OutboxListOptions): Promise<OutboxSummary[]>;
  /** The message, or null when there is none with this id (or the id is malformed). */
  get(id: string): Promise<OutboxEntry | null>;
}

function summary(r: OutboxRecord): OutboxSummary {
  return {
    id: r._id.toHexString(),
    createdAt: r.createdAt,
    to: r.to,
    language: r.language,
    template: r.template,
    subject: r.subject,
    delivery: r.delivery,
    status: r.status,
    error: r.error ?? null,
    sentAt: r.sentAt ?? null,
  };
}

const SUMMARY_FIELDS = {
  createdAt: 1,
  to: 1,
  language: 1,
  template: 1,
  subject: 1,
  delivery: 1,
  status: 1,
  error: 1,
  sentAt: 1,
} as const;

export function createOutbox(conn: Connection): Outbox {
  const Outbox = outboxModel(conn);
  return {
    async list(options = {}) {
      const parsed = outboxListOptionsSchema.safeParse(options);
      if (!parsed.success) {
        throw new OutboxQueryError(
          `Invalid outbox query: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ')}`,
        );
      }
      const { limit, before, status } = parsed.data;
      const filter: Record<string, unknown> = status === undefined ? {} : { status };
      if (before !== undefined) {
        const beforeId = new Types.ObjectId(before);
        const start = await Outbox.findById(beforeId, { createdAt: 1 }).lean<
          Pick<OutboxRecord, 'createdAt'>
        >();
        // The message the page started from is gone (outboxes may be pruned): nothing older to show from it.
        if (start === null) return [];
        filter.$or = [
          { createdAt: { $lt: start.createdAt } },
          { createdAt: start.createdAt, _id: { $lt: beforeId } },
        ];
      }
      const records = await Outbox.find(filter, SUMMARY_FIELDS)
        .sort({ createdAt: -1, _id: -1 })
        .limit(limit)
        .lean<OutboxRecord[]>();
      return records.map(summary);
    },

    async get(id) {
      if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) return null;
      const r = await Outbox.findById(id).lean<OutboxRecord>();
      if (r === null) return null;
      return {
        ...summary(r),
        from: r.from,
        replyTo: r.replyTo ?? null,
        text: r.text,
        html: r.html,
        linksRedacted: r.linksRedacted,
        smtpMessageId: r.smtpMessageId ?? null,
      };
    },
  };
}
