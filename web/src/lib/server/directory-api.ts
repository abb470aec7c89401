/** The directory endpoints' shared answers: who may ask, and service refusals as API errors. */
import { json } from '@sveltejs/kit';
import type { Actor } from '@cope/domain';
import type { DirectoryResult } from '@cope/db';
import { actorOf } from './actor';
import { apiError, unauthenticated } from './api';

const STATUS = { forbidden: 403, notFound: 404, invalidInput: 422 } as const;
const CODE = { forbidden: 'forbidden', notFound: 'not_found', invalidInput: 'invalid_input' } as const;

/** The signed-in actor, or the 401 answer for an anonymous request. */
export function signedInActor(locals: App.Locals): { actor: Actor } | { response: Response } {
  const actor = actorOf(locals.user);
  return actor === null ? { response: unauthenticated() } : { actor };
}

/** A service result as an API answer: the value under `key`, or the refusal with its status. */
export function directoryAnswer<T>(
  result: DirectoryResult<T>,
  wrap: (value: T) => unknown,
  status = 200,
): Response {
  if (result.ok) return json(wrap(result.value), { status });
  return apiError(
    STATUS[result.code],
    CODE[result.code],
    result.message,
    result.issues ? { details: result.issues } : {},
  );
}

/** Query parameters as the search schemas take them (the last value of a repeated one wins). */
export function queryOf(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams);
}
