/**
 * Staff administration of people: find them, read one with the history of changes made to them. Changing a
 * role or disabling an account goes through `setNetworkRole` / `setUserDisabled` (./users.ts), which end
 * sessions and write the audit log; this module only reads.
 *
 * The callers (staff pages, the HTTP API) check `can(actor, 'admin.members.manage')` before calling.
 */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { networkRoleSchema } from '@cope/domain';
import type { Locale, NetworkRole } from '@cope/domain';
import { models } from '../models/index.js';
import type { AuditEventRecord } from '../models/index.js';

export const PEOPLE_PAGE_SIZE = 50;

const objectIdString = z.string().regex(/^[0-9a-f]{24}$/i);

export const peopleFilterSchema = z.object({
  /** Part of a name or an email, any case. */
  query: z.string().trim().max(200).optional(),
  role: networkRoleSchema.optional(),
  disabled: z.boolean().optional(),
  /** 1-based. */
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});

export type PeopleFilter = z.input<typeof peopleFilterSchema>;

export interface PersonSummary {
  id: string;
  name: string;
  email: string;
  networkRole: NetworkRole;
  disabled: boolean;
  /** False only for an affiliate who signed up and has not confirmed the address yet. */
  emailConfirmed: boolean;
  organisationId: string | null;
  createdAt: Date;
}

export interface PeoplePage {
  people: PersonSummary[];
  total: number;
  page: number;
  pageSize: number;
}

/** An audit event with its actor's name, for history lists. */
export interface HistoryEntry {
  id: string;
  at: Date;
  action: string;
  actorId: string | null;
  /** Null for the system, an anonymous visitor or an account that no longer exists. */
  actorName: string | null;
  subject: { kind: string; id: string } | null;
  details: Record<string, unknown>;
}

export interface PersonDetail extends PersonSummary {
  locale: Locale;
  organisationName: string | null;
  /** Changes made to this person, newest first (at most `PERSON_HISTORY_LIMIT`). */
  history: HistoryEntry[];
}

export const PERSON_HISTORY_LIMIT = 100;

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface StoredUser {
  _id: Types.ObjectId;
  name: string;
  email: string;
  networkRole: string;
  disabled: boolean;
  locale: string;
  organisationId?: Types.ObjectId | null;
  emailConfirmedAt?: Date | null;
  createdAt: Date;
}

function summary(u: StoredUser): PersonSummary {
  return {
    id: u._id.toHexString(),
    name: u.name,
    email: u.email,
    networkRole: u.networkRole as NetworkRole,
    disabled: u.disabled,
    emailConfirmed: u.emailConfirmedAt !== null,
    organisationId: u.organisationId?.toHexString() ?? null,
    createdAt: u.createdAt,
  };
}

/** People matching the filter, by name, one page at a time. Invalid filters read as "no filter". */
export async function listPeople(conn: Connection, filter: PeopleFilter = {}): Promise<PeoplePage> {
  const parsed = peopleFilterSchema.safeParse(filter);
  const f = parsed.success ? parsed.data : peopleFilterSchema.parse({});
  const query: Record<string, unknown> = {};
  if (f.query !== undefined && f.query !== '') {
    const pattern = { $regex: escapeRegExp(f.query), $options: 'i' };
    query.$or = [{ name: pattern }, { email: pattern }];
  }
  if (f.role !== undefined) query.networkRole = f.role;
  if (f.disabled !== undefined) query.disabled = f.disabled;
  const { User } = models(conn);
  const [people, total] = await Promise.all([
    User.find(query)
      .sort({ name: 1, _id: 1 })
      .skip((f.page - 1) * PEOPLE_PAGE_SIZE)
      .limit(PEOPLE_PAGE_SIZE)
      .lean<StoredUser[]>(),
    User.countDocuments(query),
  ]);
  return { people: people.map(summary), total, page: f.page, pageSize: PEOPLE_PAGE_SIZE };
}

/** Names of the actors of some events, for showing who did what. */
export async function withActorNames(
  conn: Connection,
  events: readonly AuditEventRecord[],
): Promise<HistoryEntry[]> {
  const ids = [...new Set(events.flatMap((e) => (e.actorId ? [e.actorId.toHexString()] : [])))];
  const actors =
    ids.length === 0
      ? []
      : await models(conn)
          .User.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }, { name: 1 })
          .lean<{ _id: Types.ObjectId; name: string }[]>();
  const names = new Map(actors.map((a) => [a._id.toHexString(), a.name]));
  return events.map((e) => {
    const actorId = e.actorId?.toHexString() ?? null;
    return {
      id: e._id.toHexString(),
      at: e.at,
      action: e.action,
      actorId,
      actorName: actorId === null ? null : (names.get(actorId) ?? null),
      subject: e.subject ? { kind: e.subject.kind, id: e.subject.id } : null,
      details: (e.details ?? {}) as Record<string, unknown>,
    };
  });
}

/** One person with their organisation's name and the history of changes to them; null if unknown. */
export async function getPerson(conn: Connection, userId: unknown): Promise<PersonDetail | null> {
  const id = objectIdString.safeParse(userId);
  if (!id.success) return null;
  const { User, Organisation, AuditEvent } = models(conn);
  const user = await User.findById(id.data).lean<StoredUser>();
  if (user === null) return null;
  const organisation = user.organisationId
    ? await Organisation.findById(user.organisationId, { name: 1 }).lean<{ name: string }>()
    : null;
  const events = await AuditEvent.find({ 'subject.kind': 'user', 'subject.id': id.data.toLowerCase() })
    .sort({ at: -1, _id: -1 })
    .limit(PERSON_HISTORY_LIMIT)
    .lean<AuditEventRecord[]>();
  return {
    ...summary(user),
    locale: user.locale as Locale,
    organisationName: organisation?.name ?? null,
    history: await withActorNames(conn, events),
  };
}

/** The account with this email, if any (staff filter the audit log by a person's email). */
export async function findPersonIdByEmail(conn: Connection, email: string): Promise<string | null> {
  const user = await models(conn)
    .User.findOne({ email: email.trim().toLowerCase() }, { _id: 1 })
    .lean<{ _id: Types.ObjectId }>();
  return user?._id.toHexString() ?? null;
}
