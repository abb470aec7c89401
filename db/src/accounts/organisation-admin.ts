/**
 * Staff administration of organisations: list and read them, edit their fields, change their membership
 * category. Every change goes to the audit log with who made it and when; the history of an organisation's
 * category is read back from that log (`organisation.create` gives the first category, each
 * `organisation.category.change` a step), so there is one record of it, append-only.
 *
 * The callers (staff pages, the HTTP API) check `can(actor, 'admin.organisations.manage')` before calling.
 */
import type { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import {
  countryCodeSchema,
  expertiseAreaSchema,
  languageCodeSchema,
  nameSchema,
  organisationCategorySchema,
} from '@cope/domain';
import type { NetworkRole, OrganisationCategory } from '@cope/domain';
import { models } from '../models/index.js';
import type { AuditEventRecord } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import { escapeRegExp, withActorNames } from './people-admin.js';
import type { ChangeContext } from './users.js';

export const ORGANISATIONS_PAGE_SIZE = 50;

const objectIdString = z.string().regex(/^[0-9a-f]{24}$/i);

export const organisationFilterSchema = z.object({
  query: z.string().trim().max(200).optional(),
  category: organisationCategorySchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export type OrganisationFilter = z.input<typeof organisationFilterSchema>;

/** A website address: http(s) only, so a `javascript:` link can never reach a page. */
export const websiteSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s) && URL.canParse(s), { message: 'An http(s) address' });

/** The fields staff edit on an organisation's page; absent fields stay as they are. */
export const organisationUpdateSchema = z
  .object({
    name: nameSchema,
    country: countryCodeSchema,
    languages: z.array(languageCodeSchema).max(50),
    expertise: z.array(expertiseAreaSchema).max(50),
    website: websiteSchema.nullable(),
    description: z.string().trim().max(10_000),
  })
  .partial()
  .strict();

export type OrganisationUpdate = z.input<typeof organisationUpdateSchema>;

export const categoryChangeSchema = z
  .object({
    category: organisationCategorySchema,
    /** For an applicant: when its term started (default: now). Ignored for other categories. */
    termStart: z.coerce.date().optional(),
  })
  .strict();

export type CategoryChange = z.input<typeof categoryChangeSchema>;

export interface OrganisationSummary {
  id: string;
  name: string;
  country: string;
  category: OrganisationCategory;
  termStart: Date | null;
  createdAt: Date;
}

export interface OrganisationsPage {
  organisations: OrganisationSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CategoryHistoryEntry {
  at: Date;
  actorId: string | null;
  actorName: string | null;
  /** Null for the first category, given at creation. */
  from: OrganisationCategory | null;
  to: OrganisationCategory;
  termStart: Date | null;
}

export interface OrganisationContact {
  id: string;
  name: string;
  email: string;
  networkRole: NetworkRole;
  disabled: boolean;
}

export interface OrganisationDetail extends OrganisationSummary {
  languages: string[];
  expertise: string[];
  website: string | null;
  description: string;
  contacts: OrganisationContact[];
  /** Oldest first. */
  categoryHistory: CategoryHistoryEntry[];
}

export type OrganisationAdminResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: 'invalidInput' | 'notFound'; message: string; fields?: Record<string, string> };

interface StoredOrganisation {
  _id: Types.ObjectId;
  name: string;
  country: string;
  languages: string[];
  expertise: string[];
  website?: string | null;
  description?: string;
  category: string;
  termStart?: Date | null;
  contacts: Types.ObjectId[];
  createdAt: Date;
}

function summary(o: StoredOrganisation): OrganisationSummary {
  return {
    id: o._id.toHexString(),
    name: o.name,
    country: o.country,
    category: o.category as OrganisationCategory,
    termStart: o.termStart ?? null,
    createdAt: o.createdAt,
  };
}

function issuesOf(error: z.ZodError): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  return { message: error.issues.map((i) => i.message).join('; '), fields };
}

export async function listOrganisations(
  conn: Connection,
  filter: OrganisationFilter = {},
): Promise<OrganisationsPage> {
  const parsed = organisationFilterSchema.safeParse(filter);
  const f = parsed.success ? parsed.data : organisationFilterSchema.parse({});
  const query: Record<string, unknown> = {};
  if (f.query !== undefined && f.query !== '') query.name = { $regex: escapeRegExp(f.query), $options: 'i' };
  if (f.category !== undefined) query.category = f.category;
  const { Organisation } = models(conn);
  const [found, total] = await Promise.all([
    Organisation.find(query)
      .sort({ name: 1, _id: 1 })
      .skip((f.page - 1) * ORGANISATIONS_PAGE_SIZE)
      .limit(ORGANISATIONS_PAGE_SIZE)
      .lean<StoredOrganisation[]>(),
    Organisation.countDocuments(query),
  ]);
  return {
    organisations: found.map(summary),
    total,
    page: f.page,
    pageSize: ORGANISATIONS_PAGE_SIZE,
  };
}

/** Every organisation's id and name, by name (for choosing one in a form, e.g. an invitation's). */
export async function organisationNames(conn: Connection): Promise<{ id: string; name: string }[]> {
  const found = await models(conn)
    .Organisation.find({}, { name: 1 })
    .sort({ name: 1 })
    .limit(2000)
    .lean<{ _id: Types.ObjectId; name: string }[]>();
  return found.map((o) => ({ id: o._id.toHexString(), name: o.name }));
}

function categoryStep(e: AuditEventRecord): { from: unknown; to: unknown; termStart: unknown } {
  const d = (e.details ?? {}) as Record<string, unknown>;
  if (e.action === 'organisation.create') return { from: null, to: d.category, termStart: d.termStart };
  return { from: d.from, to: d.to, termStart: d.termStart };
}

export async function getOrganisation(
  conn: Connection,
  organisationId: unknown,
): Promise<OrganisationDetail | null> {
  const id = objectIdString.safeParse(organisationId);
  if (!id.success) return null;
  const { Organisation, User, AuditEvent } = models(conn);
  const org = await Organisation.findById(id.data).lean<StoredOrganisation>();
  if (org === null) return null;
  // Contacts are the people attached to the organisation, plus any listed on it (older records).
  const contacts = await User.find(
    { $or: [{ organisationId: org._id }, { _id: { $in: org.contacts } }] },
    { name: 1, email: 1, networkRole: 1, disabled: 1 },
  )
    .sort({ name: 1 })
    .lean<{ _id: Types.ObjectId; name: string; email: string; networkRole: string; disabled: boolean }[]>();
  const events = await AuditEvent.find({
    'subject.kind': 'organisation',
    'subject.id': org._id.toHexString(),
    action: { $in: ['organisation.create', 'organisation.category.change'] },
  })
    .sort({ at: 1, _id: 1 })
    .lean<AuditEventRecord[]>();
  const named = await withActorNames(conn, events);
  const categoryHistory: CategoryHistoryEntry[] = [];
  events.forEach((event, index) => {
    const step = categoryStep(event);
    const to = organisationCategorySchema.safeParse(step.to);
    if (!to.success) return;
    const from = organisationCategorySchema.safeParse(step.from);
    const termStart = typeof step.termStart === 'string' ? new Date(step.termStart) : null;
    categoryHistory.push({
      at: event.at,
      actorId: named[index]?.actorId ?? null,
      actorName: named[index]?.actorName ?? null,
      from: from.success ? from.data : null,
      to: to.data,
      termStart: termStart !== null && !Number.isNaN(termStart.getTime()) ? termStart : null,
    });
  });
  return {
    ...summary(org),
    languages: org.languages,
    expertise: org.expertise,
    website: org.website ?? null,
    description: org.description ?? '',
    contacts: contacts.map((c) => ({
      id: c._id.toHexString(),
      name: c.name,
      email: c.email,
      networkRole: c.networkRole as NetworkRole,
      disabled: c.disabled,
    })),
    categoryHistory,
  };
}

/** Edits an organisation's fields; the audit log keeps which fields changed, from what, to what. */
export async function updateOrganisation(
  conn: Connection,
  organisationId: unknown,
  input: unknown,
  ctx: ChangeContext,
): Promise<OrganisationAdminResult<{ changed: string[] }>> {
  const id = objectIdString.safeParse(organisationId);
  if (!id.success) return { ok: false, code: 'notFound', message: 'No such organisation' };
  const parsed = organisationUpdateSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: 'invalidInput', ...issuesOf(parsed.error) };
  const update: Record<string, unknown> = { ...parsed.data };
  if (parsed.data.languages) update.languages = [...new Set(parsed.data.languages)];
  if (parsed.data.expertise) update.expertise = [...new Set(parsed.data.expertise)];
  const { Organisation } = models(conn);
  const before = await Organisation.findOneAndUpdate(
    { _id: id.data },
    { $set: update },
    { returnDocument: 'before' },
  )
    .lean<StoredOrganisation>()
    .exec();
  if (before === null) return { ok: false, code: 'notFound', message: 'No such organisation' };
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(update)) {
    const from = (before as unknown as Record<string, unknown>)[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  const changed = Object.keys(changes).sort();
  if (changed.length > 0) {
    await recordAudit(
      conn,
      {
        action: 'organisation.update',
        actorId: ctx.actorId,
        subject: { kind: 'organisation', id: id.data.toLowerCase() },
        // The description can be long: the log says it changed, not what it says.
        details: Object.fromEntries(
          Object.entries(changes).map(([field, change]) => [
            field,
            field === 'description' ? { changed: true } : change,
          ]),
        ),
      },
      ctx.clock ? { clock: ctx.clock } : {},
    );
  }
  return { ok: true, value: { changed } };
}

/**
 * Moves an organisation to another membership category. An applicant's term starts at `termStart` (default:
 * now); other categories have none. The step is kept in the audit log (who, when, from, to).
 */
export async function changeOrganisationCategory(
  conn: Connection,
  organisationId: unknown,
  input: unknown,
  ctx: ChangeContext,
): Promise<
  OrganisationAdminResult<{ from: OrganisationCategory; to: OrganisationCategory; termStart: Date | null }>
> {
  const id = objectIdString.safeParse(organisationId);
  if (!id.success) return { ok: false, code: 'notFound', message: 'No such organisation' };
  const parsed = categoryChangeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, code: 'invalidInput', ...issuesOf(parsed.error) };
  const now = new Date((ctx.clock ?? systemClock)());
  const { category } = parsed.data;
  const termStart = category === 'applicant' ? (parsed.data.termStart ?? now) : null;
  if (termStart !== null && Number.isNaN(termStart.getTime())) {
    return { ok: false, code: 'invalidInput', message: 'Not a date', fields: { termStart: 'Not a date' } };
  }
  const before = await models(conn)
    .Organisation.findOneAndUpdate(
      { _id: id.data },
      { $set: { category, termStart } },
      { returnDocument: 'before' },
    )
    .lean<StoredOrganisation>()
    .exec();
  if (before === null) return { ok: false, code: 'notFound', message: 'No such organisation' };
  const from = before.category as OrganisationCategory;
  const sameTerm = (before.termStart?.getTime() ?? null) === (termStart?.getTime() ?? null);
  if (from !== category || !sameTerm) {
    await recordAudit(
      conn,
      {
        action: 'organisation.category.change',
        actorId: ctx.actorId,
        subject: { kind: 'organisation', id: id.data.toLowerCase() },
        details: { from, to: category, termStart: termStart?.toISOString() ?? null },
      },
      ctx.clock ? { clock: ctx.clock } : {},
    );
  }
  return { ok: true, value: { from, to: category, termStart } };
}
