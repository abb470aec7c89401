/**
 * Applications to join the network: an organisation applies (no account needed) with its legal status, a
 * reference and two annual reports as PDFs; staff review the queue and approve (as applicant or member: the
 * organisation is created and its contact invited), reject with a reason, or ask for more information. The
 * applicant is mailed, in their language, at each step; every decision is in the audit log.
 *
 * Files are checked by content (`%PDF-` magic bytes), never by name. Nothing is stored when any field or file
 * is invalid. Results, never exceptions, for input from outside.
 */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { can, countryCodeSchema, emailSchema, localeSchema, nameSchema } from '@cope/domain';
import type { Actor, Locale } from '@cope/domain';
import { MailDeliveryError } from '../mail/mailer.js';
import type { Mailer } from '../mail/mailer.js';
import { staffTextSchema } from '../mail/templates/params.js';
import { models } from '../models/index.js';
import type { ApplicationRecord, ApplicationStatus } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { inviteMember } from './invitations.js';
import { createOrganisation } from './organisations.js';
import { lockState } from './rate-limit.js';
import { countLimitedRequest } from './request-limits.js';
import type { RateLimitRule } from './rate-limit.js';

/** At most this many bytes per annual report. */
export const APPLICATION_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** Submissions per address: a person filling in the form again after a mistake is fine, a flood is not. */
export const APPLICATION_SUBMIT_LIMIT: RateLimitRule = {
  maxFailures: 5,
  windowMs: 60 * 60 * 1000,
  lockoutMs: 60 * 60 * 1000,
};

export type ApplicationErrorCode =
  | 'invalidInput'
  | 'forbidden'
  | 'notFound'
  /** The application was already approved or rejected. */
  | 'decided'
  | 'rateLimited'
  /** Done, but the mail could not be sent. */
  | 'mailFailed';

export type ApplicationResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      code: ApplicationErrorCode;
      message: string;
      /** Per field (`organisationName`, `reports.0`, …): an error code the interface translates. */
      fieldErrors?: Record<string, string>;
    };

function fail(
  code: ApplicationErrorCode,
  message: string,
  fieldErrors?: Record<string, string>,
): { ok: false; code: ApplicationErrorCode; message: string; fieldErrors?: Record<string, string> } {
  return fieldErrors ? { ok: false, code, message, fieldErrors } : { ok: false, code, message };
}

const objectIdString = z.string().regex(/^[0-9a-f]{24}$/i, { message: 'Not an id' });

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/** One line of text: trimmed, no control characters. */
function line(max: number) {
  return z
    .string()
    .trim()
    .min(1, { message: 'required' })
    .max(max, { message: 'tooLong' })
    .refine((s) => !hasControlCharacter(s), { message: 'invalid' });
}

const websiteSchema = z
  .string()
  .trim()
  .max(2048, { message: 'tooLong' })
  .refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), { message: 'invalidUrl' })
  .transform((s) => (s === '' ? null : s));

export const applicationFieldsSchema = z.object({
  organisationName: nameSchema,
  country: countryCodeSchema,
  legalStatus: line(500),
  website: websiteSchema.nullable().optional(),
  contactName: nameSchema,
  contactEmail: emailSchema,
  contactLocale: localeSchema,
  motivation: z
    .string()
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().min(1, { message: 'required' }).max(10_000, { message: 'tooLong' })),
  referenceName: line(200),
  referenceContact: line(500),
});

export type ApplicationFieldsInput = z.input<typeof applicationFieldsSchema>;

export interface UploadedFile {
  filename: string;
  data: Uint8Array;
}

export type FileProblem = 'missing' | 'empty' | 'tooLarge' | 'notPdf';

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/** Checks one upload by its bytes: not empty, at most 10 MB, starting with `%PDF-`. */
export function checkPdf(file: UploadedFile | undefined): FileProblem | null {
  if (file === undefined) return 'missing';
  if (file.data.byteLength === 0) return 'empty';
  if (file.data.byteLength > APPLICATION_FILE_MAX_BYTES) return 'tooLarge';
  for (let i = 0; i < PDF_MAGIC.length; i++) if (file.data[i] !== PDF_MAGIC[i]) return 'notPdf';
  return null;
}

/** A stored file name: the base name only, printable, at most 255 characters, always ending in .pdf. */
function safeFilename(name: string, index: number): string {
  const base = [...(name.split(/[\\/]/).pop() ?? '')]
    .filter((c) => c !== '"' && !hasControlCharacter(c))
    .join('')
    .trim()
    .slice(0, 200);
  if (base === '') return `annual-report-${index + 1}.pdf`;
  return /\.pdf$/i.test(base) ? base : `${base}.pdf`;
}

export interface ApplicationView {
  id: string;
  organisationName: string;
  country: string;
  legalStatus: string;
  website: string | null;
  contactName: string;
  contactEmail: string;
  contactLocale: Locale;
  motivation: string;
  referenceName: string;
  referenceContact: string;
  reports: { index: number; filename: string; size: number }[];
  status: ApplicationStatus;
  createdAt: Date;
  decisions: {
    kind: 'approve' | 'reject' | 'more-info';
    category: 'member' | 'applicant' | null;
    message: string | null;
    by: string;
    at: Date;
  }[];
  organisationId: string | null;
}

function view(doc: ApplicationRecord): ApplicationView {
  return {
    id: doc._id.toHexString(),
    organisationName: doc.organisationName,
    country: doc.country,
    legalStatus: doc.legalStatus,
    website: doc.website ?? null,
    contactName: doc.contactName,
    contactEmail: doc.contactEmail,
    contactLocale: doc.contactLocale,
    motivation: doc.motivation,
    referenceName: doc.referenceName,
    referenceContact: doc.referenceContact,
    reports: doc.reports.map((r, index) => ({ index, filename: r.filename, size: r.size })),
    status: doc.status,
    createdAt: doc.createdAt,
    decisions: doc.decisions.map((d) => ({
      kind: d.kind,
      category: d.category ?? null,
      message: d.message ?? null,
      by: d.by.toHexString(),
      at: d.at,
    })),
    organisationId: doc.organisationId?.toHexString() ?? null,
  };
}

export interface SubmitContext {
  /** The submitter's address, for the rate limit. */
  address: string;
  origin: string;
  mailer: Pick<Mailer, 'send'>;
  clock?: Clock;
}

/**
 * An organisation applies. Every field and both files are checked before anything is stored; on success the
 * application is pending and the contact gets the `application-received` mail.
 */
export async function submitApplication(
  conn: Connection,
  fields: unknown,
  files: readonly (UploadedFile | undefined)[],
  ctx: SubmitContext,
): Promise<ApplicationResult<ApplicationView>> {
  const clock = ctx.clock ?? systemClock;
  const key = `application:${ctx.address.trim().slice(0, 200)}`;
  if ((await lockState(conn, key, { clock })).locked) {
    return fail('rateLimited', 'Too many applications from this address: try again later');
  }
  const fieldErrors: Record<string, string> = {};
  const parsed = applicationFieldsSchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'form');
      if (fieldErrors[name] !== undefined) continue;
      fieldErrors[name] = ['required', 'tooLong', 'invalid', 'invalidUrl'].includes(issue.message)
        ? issue.message
        : 'invalid';
    }
  }
  for (const index of [0, 1]) {
    const problem = checkPdf(files[index]);
    if (problem !== null) fieldErrors[`report${index + 1}`] = problem;
  }
  if (files.length > 2) fieldErrors.form = 'tooManyFiles';
  if (!parsed.success || Object.keys(fieldErrors).length > 0) {
    return fail('invalidInput', 'Some fields are missing or invalid', fieldErrors);
  }
  // Counted only once the form is valid: fixing a mistake does not use up the allowance.
  await countLimitedRequest(
    conn,
    {
      key,
      rule: APPLICATION_SUBMIT_LIMIT,
      lockoutAction: 'application.submit.lockout',
      subject: { kind: 'address', id: ctx.address.trim().slice(0, 200) },
    },
    { clock },
  );

  const data = parsed.data;
  const { Application, ApplicationFile } = models(conn);
  const applicationId = new Types.ObjectId();
  const reports: { fileId: Types.ObjectId; filename: string; size: number }[] = [];
  try {
    for (const [index, file] of files.slice(0, 2).entries()) {
      if (file === undefined) continue;
      const filename = safeFilename(file.filename, index);
      const stored = await ApplicationFile.create({
        applicationId,
        filename,
        contentType: 'application/pdf',
        data: Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
      });
      reports.push({ fileId: stored._id, filename, size: file.data.byteLength });
    }
    await Application.create({
      _id: applicationId,
      ...data,
      website: data.website ?? null,
      reports,
      status: 'pending',
      createdAt: new Date(clock()),
    });
  } catch (error) {
    // No half-stored application: the files go with it.
    await ApplicationFile.deleteMany({ applicationId });
    throw error;
  }
  const id = applicationId.toHexString();
  await recordAudit(
    conn,
    {
      action: 'application.submit',
      actorId: null,
      subject: { kind: 'application', id },
      details: { organisationName: data.organisationName, country: data.country },
    },
    { clock },
  );
  const doc = await Application.findById(applicationId).lean();
  if (doc === null) return fail('notFound', 'The application vanished');
  try {
    await ctx.mailer.send({
      to: data.contactEmail,
      language: data.contactLocale,
      origin: ctx.origin,
      template: 'application-received',
      params: { organisationName: data.organisationName, contactName: data.contactName },
    });
  } catch (error) {
    if (error instanceof MailDeliveryError) {
      return fail('mailFailed', `Application ${id} was stored but its mail was not sent: ${error.message}`);
    }
    throw error;
  }
  return { ok: true, value: view(doc) };
}

/** The staff member behind the actor, or null when the actor may not review applications. */
async function reviewer(conn: Connection, actor: Actor | null): Promise<{ id: Types.ObjectId } | null> {
  if (actor === null || !can(actor, 'admin.applications.review')) return null;
  const id = objectIdString.safeParse(actor.userId);
  if (!id.success) return null;
  const user = await models(conn).User.findById(id.data).lean();
  if (user === null || user.disabled || user.networkRole !== 'staff') return null;
  return { id: user._id };
}

const STATUS_ORDER: Record<ApplicationStatus, number> = {
  pending: 0,
  'more-info-requested': 1,
  approved: 2,
  rejected: 3,
};

/** The queue: pending first, then waiting for information, then decided; oldest first within each. */
export async function listApplications(
  conn: Connection,
  filter: { status?: ApplicationStatus; limit?: number },
  ctx: { actor: Actor | null },
): Promise<ApplicationResult<ApplicationView[]>> {
  if ((await reviewer(conn, ctx.actor)) === null)
    return fail('forbidden', 'Only staff may review applications');
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 200), 1), 1000);
  const query = filter.status === undefined ? {} : { status: filter.status };
  const docs = await models(conn).Application.find(query).sort({ createdAt: 1, _id: 1 }).limit(limit).lean();
  const views = docs.map(view);
  views.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  return { ok: true, value: views };
}

export async function getApplication(
  conn: Connection,
  applicationId: unknown,
  ctx: { actor: Actor | null },
): Promise<ApplicationResult<ApplicationView>> {
  if ((await reviewer(conn, ctx.actor)) === null)
    return fail('forbidden', 'Only staff may review applications');
  const id = objectIdString.safeParse(applicationId);
  if (!id.success) return fail('notFound', 'No such application');
  const doc = await models(conn).Application.findById(id.data).lean();
  if (doc === null) return fail('notFound', 'No such application');
  return { ok: true, value: view(doc) };
}

/** One of the application's annual reports (index 0 or 1), for staff to download. */
export async function readApplicationFile(
  conn: Connection,
  applicationId: unknown,
  index: unknown,
  ctx: { actor: Actor | null },
): Promise<ApplicationResult<{ filename: string; data: Buffer }>> {
  if ((await reviewer(conn, ctx.actor)) === null)
    return fail('forbidden', 'Only staff may review applications');
  const id = objectIdString.safeParse(applicationId);
  const i = z.coerce.number().int().min(0).max(1).safeParse(index);
  if (!id.success || !i.success) return fail('notFound', 'No such file');
  const doc = await models(conn).Application.findById(id.data).lean();
  const ref = doc?.reports[i.data];
  if (ref === undefined) return fail('notFound', 'No such file');
  const file = await models(conn).ApplicationFile.findById(ref.fileId).lean();
  if (file === null) return fail('notFound', 'No such file');
  const data = Buffer.isBuffer(file.data)
    ? file.data
    : Buffer.from((file.data as { buffer: Uint8Array }).buffer);
  return { ok: true, value: { filename: file.filename, data } };
}

export const decisionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approve'), category: z.enum(['member', 'applicant']) }),
  z.object({ kind: z.literal('reject'), reason: staffTextSchema }),
  z.object({ kind: z.literal('more-info'), message: staffTextSchema }),
]);

export type DecisionInput = z.input<typeof decisionSchema>;

export interface DecisionContext {
  actor: Actor | null;
  origin: string;
  mailer: Pick<Mailer, 'send'>;
  clock?: Clock;
}

/**
 * Staff decide. Approve: the organisation is created with the granted category (an applicant's term starts
 * today) and its contact is invited. Reject (with a reason) and more-info (with a message) mail the contact.
 * A decided application takes no further decision.
 */
export async function decideApplication(
  conn: Connection,
  applicationId: unknown,
  input: unknown,
  ctx: DecisionContext,
): Promise<ApplicationResult<ApplicationView>> {
  const clock = ctx.clock ?? systemClock;
  const staff = await reviewer(conn, ctx.actor);
  if (staff === null) return fail('forbidden', 'Only staff may review applications');
  const id = objectIdString.safeParse(applicationId);
  if (!id.success) return fail('notFound', 'No such application');
  const parsed = decisionSchema.safeParse(input);
  if (!parsed.success) {
    return fail('invalidInput', parsed.error.issues.map((i) => i.message).join('; '), {
      [String(parsed.error.issues[0]?.path[0] ?? 'kind')]: 'invalid',
    });
  }
  const decision = parsed.data;
  const { Application } = models(conn);
  const now = new Date(clock());
  const nextStatus: ApplicationStatus =
    decision.kind === 'approve'
      ? 'approved'
      : decision.kind === 'reject'
        ? 'rejected'
        : 'more-info-requested';
  const record = {
    kind: decision.kind,
    category: decision.kind === 'approve' ? decision.category : null,
    message:
      decision.kind === 'reject' ? decision.reason : decision.kind === 'more-info' ? decision.message : null,
    by: staff.id,
    at: now,
  };
  // Claim the application atomically: two staff deciding at once get one decision between them.
  const claimed = await Application.findOneAndUpdate(
    { _id: id.data, status: { $in: ['pending', 'more-info-requested'] } },
    { $set: { status: nextStatus }, $push: { decisions: record } },
    { returnDocument: 'after' },
  ).lean();
  if (claimed === null) {
    return (await Application.exists({ _id: id.data })) === null
      ? fail('notFound', 'No such application')
      : fail('decided', 'The application was already decided');
  }
  const auditDetails: Record<string, unknown> = { decision: decision.kind, status: nextStatus };
  let invitationProblem: string | null = null;
  if (decision.kind === 'approve') {
    const org = await createOrganisation(
      conn,
      { name: claimed.organisationName, country: claimed.country, category: decision.category },
      { actorId: staff.id.toHexString(), clock },
    );
    if (!org.ok) {
      await Application.updateOne(
        { _id: claimed._id },
        {
          $set: { status: claimed.status === 'approved' ? 'pending' : claimed.status },
          $pop: { decisions: 1 },
        },
      );
      return fail('invalidInput', org.message);
    }
    await models(conn).Organisation.updateOne(
      { _id: org.value.id },
      { $set: { website: claimed.website ?? null } },
    );
    await Application.updateOne(
      { _id: claimed._id },
      { $set: { organisationId: new Types.ObjectId(org.value.id) } },
    );
    auditDetails.category = decision.category;
    auditDetails.organisationId = org.value.id;
    const invited = await inviteMember(
      conn,
      {
        email: claimed.contactEmail,
        name: claimed.contactName,
        organisationId: org.value.id,
        locale: claimed.contactLocale,
      },
      { actor: ctx.actor, origin: ctx.origin, mailer: ctx.mailer, clock },
    );
    auditDetails.invitation = invited.ok ? invited.value.id : invited.code;
    if (!invited.ok) invitationProblem = invited.message;
  } else {
    auditDetails.message = record.message;
  }
  await recordAudit(
    conn,
    {
      action: `application.${decision.kind === 'more-info' ? 'moreInfo' : decision.kind}`,
      actorId: staff.id,
      subject: { kind: 'application', id: id.data },
      details: auditDetails,
    },
    { clock },
  );
  const base = { organisationName: claimed.organisationName, contactName: claimed.contactName };
  const mail = { to: claimed.contactEmail, language: claimed.contactLocale, origin: ctx.origin };
  try {
    if (decision.kind === 'approve') {
      await ctx.mailer.send({
        ...mail,
        template: 'application-approved',
        params: { ...base, category: decision.category },
      });
    } else if (decision.kind === 'reject') {
      await ctx.mailer.send({
        ...mail,
        template: 'application-rejected',
        params: { ...base, reason: decision.reason },
      });
    } else {
      await ctx.mailer.send({
        ...mail,
        template: 'application-more-info',
        params: { ...base, request: decision.message },
      });
    }
  } catch (error) {
    if (error instanceof MailDeliveryError)
      return fail('mailFailed', `Decided, but the mail was not sent: ${error.message}`);
    throw error;
  }
  if (invitationProblem !== null)
    return fail('mailFailed', `Approved, but the invitation failed: ${invitationProblem}`);
  const doc = await Application.findById(claimed._id).lean();
  return doc === null ? fail('notFound', 'No such application') : { ok: true, value: view(doc) };
}
