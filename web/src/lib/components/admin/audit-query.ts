/**
 * The audit log's filters as they travel in a query string (page and API alike): each one checked, a bad
 * one reported by name rather than ignored, so staff never read a list filtered other than they think.
 */
import { z } from 'zod';
import { endOfDayIn, startOfDayIn } from '../../i18n/time-zone';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // A real calendar day: 2026-02-30 is refused here rather than failing in the service.
  .refine(
    (s) => {
      const time = Date.parse(`${s}T00:00:00.000Z`);
      return !Number.isNaN(time) && new Date(time).toISOString().startsWith(s);
    },
    { message: 'Not a day' },
  );

export const auditQuerySchema = z.object({
  /** An action and the actions under it: `user` matches `user.create`, `user.role.change`… */
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-zA-Z.]*$/)
    .optional(),
  /** The actor: an email or a user id. */
  actor: z.string().trim().max(254).optional(),
  /** The subject: an email, a user or organisation id, an address… */
  subject: z.string().trim().max(254).optional(),
  /** Whole days in the reader's time zone (the API's: UTC), both included. */
  from: day.optional(),
  to: day.optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}\.[0-9a-f]{24}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export type AuditQuery = z.output<typeof auditQuerySchema>;

/** The query string's filters (empty values dropped), or the names of the ones that are not valid. */
export function parseAuditQuery(
  params: URLSearchParams,
): { ok: true; value: AuditQuery } | { ok: false; invalid: string[] } {
  const raw: Record<string, string> = {};
  for (const key of ['action', 'actor', 'subject', 'from', 'to', 'cursor', 'limit']) {
    const value = params.get(key)?.trim();
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = auditQuerySchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, invalid: [...new Set(parsed.error.issues.map((i) => String(i.path[0])))] };
  }
  return { ok: true, value: parsed.data };
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

interface Lookup {
  findPersonIdByEmail(email: string): Promise<string | null>;
}

/**
 * The filter the audit service takes. An actor given by email is looked up (an unknown one matches
 * nothing); a subject given by email matches the person's account id. Null: nothing can match.
 * `from` and `to` are days as the reader's calendar has them: their bounds are taken in `timeZone`.
 */
export async function auditFilterOf(
  query: AuditQuery,
  lookup: Lookup,
  limit: number,
  timeZone = 'UTC',
): Promise<Record<string, string | number> | null> {
  const filter: Record<string, string | number> = { limit: query.limit ?? limit };
  if (query.action) filter.action = query.action;
  if (query.actor) {
    const id = OBJECT_ID.test(query.actor)
      ? query.actor.toLowerCase()
      : await lookup.findPersonIdByEmail(query.actor);
    if (id === null) return null;
    filter.actorId = id;
  }
  if (query.subject) {
    // A locked-out account is recorded under its email; everything else about a person under their id.
    const id = query.subject.includes('@') ? await lookup.findPersonIdByEmail(query.subject) : null;
    filter.subjectId = id ?? query.subject.toLowerCase();
  }
  if (query.from) filter.from = new Date(startOfDayIn(query.from, timeZone)).toISOString();
  if (query.to) filter.to = new Date(endOfDayIn(query.to, timeZone)).toISOString();
  if (query.cursor) filter.cursor = query.cursor;
  return filter;
}
