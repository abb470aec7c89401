/** Writing and reading the append-only audit log. */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { models } from '../models/index.js';
import type { AuditEventRecord } from '../models/index.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';

const objectIdString = z.string().regex(/^[0-9a-f]{24}$/i);

export const auditEventInputSchema = z.object({
  /** `area.object.verb`, e.g. `user.role.change`, `signIn.lockout`. */
  action: z
    .string()
    .regex(/^[a-zA-Z]+(\.[a-zA-Z]+)*$/)
    .max(100),
  /** Null for the system or an anonymous visitor. */
  actorId: z.union([objectIdString, z.instanceof(Types.ObjectId)]).nullable(),
  subject: z
    .object({ kind: z.string().min(1).max(50), id: z.string().min(1).max(200) })
    .nullable()
    .optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  /** Defaults to the clock's now. */
  at: z.date().optional(),
});

export type AuditEventInput = z.input<typeof auditEventInputSchema>;

export interface AuditOptions {
  clock?: Clock;
}

/** Appends one event. Throws a ZodError on a malformed event (a programming error, not user input). */
export async function recordAudit(
  conn: Connection,
  event: AuditEventInput,
  options: AuditOptions = {},
): Promise<AuditEventRecord> {
  const e = auditEventInputSchema.parse(event);
  const created = await models(conn).AuditEvent.create({
    at: e.at ?? new Date((options.clock ?? systemClock)()),
    actorId: e.actorId === null ? null : new Types.ObjectId(String(e.actorId)),
    action: e.action,
    subject: e.subject ?? null,
    details: e.details ?? {},
  });
  return created.toObject<AuditEventRecord>();
}

export const auditFilterSchema = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /**
   * An action and every action under it (`user.role` matches `user.role` and `user.role.change`), or a
   * prefix ending in `.` (e.g. `signIn.`) for only the actions under it.
   */
  action: z.string().max(100).optional(),
  actorId: objectIdString.optional(),
  /** Events about one subject: its id (a user or organisation id, an email for a locked account…). */
  subjectId: z.string().min(1).max(200).optional(),
  /** Narrows `subjectId` to one kind (`user`, `organisation`, `invitation`…). */
  subjectKind: z.string().min(1).max(50).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Events strictly older than this (paging backwards in time). */
  before: z.coerce.date().optional(),
  /**
   * The position after the last event of the previous page (`nextCursor` of `listAuditPage`): events at the
   * same instant are told apart by id, so paging never skips or repeats one.
   */
  cursor: z
    .string()
    .regex(/^\d{1,15}\.[0-9a-f]{24}$/)
    .optional(),
});

export type AuditFilter = z.input<typeof auditFilterSchema>;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function auditQuery(f: z.output<typeof auditFilterSchema>): Record<string, unknown> {
  const at: Record<string, Date> = {};
  if (f.from) at.$gte = f.from;
  if (f.to) at.$lte = f.to;
  if (f.before) at.$lt = f.before;
  const query: Record<string, unknown> = {};
  if (Object.keys(at).length > 0) query.at = at;
  if (f.action !== undefined) {
    query.action = {
      $regex: f.action.endsWith('.') ? `^${escapeRegExp(f.action)}` : `^${escapeRegExp(f.action)}(\\..*)?$`,
    };
  }
  if (f.actorId !== undefined) query.actorId = new Types.ObjectId(f.actorId);
  if (f.subjectId !== undefined) query['subject.id'] = f.subjectId;
  if (f.subjectKind !== undefined) query['subject.kind'] = f.subjectKind;
  if (f.cursor !== undefined) {
    const [ms, id] = f.cursor.split('.') as [string, string];
    const cursorAt = new Date(Number(ms));
    const older = {
      $or: [{ at: { $lt: cursorAt } }, { at: cursorAt, _id: { $lt: new Types.ObjectId(id) } }],
    };
    return { $and: [query, older] };
  }
  return query;
}

/** Events matching the filter, newest first. */
export async function listAuditEvents(
  conn: Connection,
  filter: AuditFilter = {},
): Promise<AuditEventRecord[]> {
  const f = auditFilterSchema.parse(filter);
  return models(conn).AuditEvent.find(auditQuery(f)).sort({ at: -1, _id: -1 }).limit(f.limit).lean();
}

export interface AuditPage {
  events: AuditEventRecord[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** One page of events, newest first, and where the next page starts. */
export async function listAuditPage(conn: Connection, filter: AuditFilter = {}): Promise<AuditPage> {
  const f = auditFilterSchema.parse(filter);
  // One more than asked says whether another page exists without counting the whole log.
  const found = await models(conn)
    .AuditEvent.find(auditQuery(f))
    .sort({ at: -1, _id: -1 })
    .limit(f.limit + 1)
    .lean<AuditEventRecord[]>();
  const events = found.slice(0, f.limit);
  const last = events[events.length - 1];
  const nextCursor =
    found.length > f.limit && last !== undefined ? `${last.at.getTime()}.${last._id.toHexString()}` : null;
  return { events, nextCursor };
}
