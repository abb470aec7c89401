/**
 * What the channels endpoints share: who is asking (401 when nobody), query-string validation, and how a
 * channel service's refusal becomes an HTTP answer. A channel one may not read answers 404, exactly as one
 * that does not exist.
 */
import type { Actor, ChannelErrorCode } from '@cope/domain';
import type { ChannelResult, SessionUser } from '@cope/db';
import { json } from '@sveltejs/kit';
import type { z } from 'zod';
import { apiError, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';

const STATUS: Record<ChannelErrorCode, number> = {
  invalid: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  too_long: 422,
  conflict: 409,
  archived: 409,
  internal: 500,
};

export function actorOrResponse(user: SessionUser | null): { actor: Actor } | { response: Response } {
  const actor = actorOf(user);
  return actor === null ? { response: unauthenticated() } : { actor };
}

export function respond<T>(result: ChannelResult<T>, body: (value: T) => unknown, status = 200): Response {
  if (!result.ok) return apiError(STATUS[result.error.code], result.error.code, result.error.message);
  return json(body(result.value), { status });
}

/** Validates the query string (each parameter once) against `schema`: 422 `invalid_input` otherwise. */
export function readQuery<S extends z.ZodType>(
  url: URL,
  schema: S,
  extra: Record<string, string> = {},
): { ok: true; value: z.output<S> } | { ok: false; response: Response } {
  const raw: Record<string, string> = { ...Object.fromEntries(url.searchParams), ...extra };
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return {
    ok: false,
    response: apiError(422, 'invalid_input', 'The query does not match the expected shape.', { details }),
  };
}
