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
  /** An exact action, or a prefix ending in `.` (e.g. `signIn.`) for every action under it. */
  action: z.string().max(100).optional(),
  actorId: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Events strictly older than this (paging backwards in time). */
  before: z.coerce.date().optional(),
});

export type AuditFilter = z.input<typeof auditFilterSchema>;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Events matching the filter, newest first. */
export async function listAuditEvents(
  conn: Connection,
  filter: AuditFilter = {},
): Promise<AuditEventRecord[]> {
  const f = auditFilterSchema.parse(filter);
  const at: Record<string, Date> = {};
  if (f.from) at.$gte = f.from;
  if (f.to) at.$lte = f.to;
  if (f.before) at.$lt = f.before;
  const query: Record<string, unknown> = {};
  if (Object.keys(at).length > 0) query.at = at;
  if (f.action !== undefined) {
    query.action = f.action.endsWith('.') ? { $regex: `^${escapeRegExp(f.action)}` } : f.action;
  }
  if (f.actorId !== undefined) query.actorId = new Types.ObjectId(f.actorId);
  return models(conn).AuditEvent.find(query).sort({ at: -1, _id: -1 }).limit(f.limit).lean();
}
