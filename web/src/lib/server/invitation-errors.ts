import type { InvitationErrorCode } from '@cope/db';
import { apiError } from './api';

/** The HTTP status and API code for each refusal of the invitation service. */
const STATUS: Record<InvitationErrorCode, [number, string]> = {
  invalidInput: [422, 'invalid_input'],
  forbidden: [403, 'forbidden'],
  emailTaken: [409, 'email_taken'],
  alreadyInvited: [409, 'already_invited'],
  notFound: [404, 'not_found'],
  notPending: [409, 'not_pending'],
  invalidToken: [404, 'invalid_token'],
  mailFailed: [502, 'mail_failed'],
  tooShort: [422, 'password_too_short'],
  tooLong: [422, 'password_too_long'],
  common: [422, 'password_too_common'],
};

export function invitationError(code: InvitationErrorCode, message: string): Response {
  const [status, apiCode] = STATUS[code] ?? [400, 'invalid_input'];
  return apiError(status, apiCode, message);
}
