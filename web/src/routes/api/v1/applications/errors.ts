import type { ApplicationErrorCode } from '@cope/db';
import { apiError } from '$lib/server/api';

const STATUS: Record<ApplicationErrorCode, number> = {
  invalidInput: 422,
  forbidden: 403,
  notFound: 404,
  decided: 409,
  rateLimited: 429,
  // The change is stored; only the mail failed.
  mailFailed: 502,
};

const CODE: Record<ApplicationErrorCode, string> = {
  invalidInput: 'invalid_input',
  forbidden: 'forbidden',
  notFound: 'not_found',
  decided: 'already_decided',
  rateLimited: 'rate_limited',
  mailFailed: 'mail_failed',
};

/** A service refusal as an API error; `details` holds the per-field codes when there are some. */
export function applicationError(
  code: ApplicationErrorCode,
  message: string,
  fieldErrors?: Record<string, string>,
): Response {
  return apiError(STATUS[code], CODE[code], message, fieldErrors ? { details: fieldErrors } : {});
}
