import { json } from '@sveltejs/kit';
import type { z } from 'zod';

/** Every API error has this shape, whatever the status. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function apiError(
  status: number,
  code: string,
  message: string,
  extra: { details?: unknown; headers?: Record<string, string> } = {},
): Response {
  const body: ApiErrorBody = { error: { code, message } };
  if (extra.details !== undefined) body.error.details = extra.details;
  return json(body, { status, headers: extra.headers });
}

export const unauthenticated = (): Response => apiError(401, 'unauthenticated', 'Sign in first.');
export const forbidden = (): Response => apiError(403, 'forbidden', 'You may not do this.');

export type BodyResult<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * Reads and validates a JSON body: 400 `invalid_json` when it does not parse, 422 `invalid_input`
 * (with each problem's path and message) when it does not match the schema.
 */
export async function readJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<BodyResult<z.output<S>>> {
  let raw: unknown;
  try {
    raw = JSON.parse(await request.text());
  } catch {
    return { ok: false, response: apiError(400, 'invalid_json', 'The body is not valid JSON.') };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    return {
      ok: false,
      response: apiError(422, 'invalid_input', 'The body does not match the expected shape.', { details }),
    };
  }
  return { ok: true, value: parsed.data };
}
