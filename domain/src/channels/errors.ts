/** Error codes of channel acknowledgements and of the `channel:error` event. */
import { z } from 'zod';

export const CHANNEL_ERROR_CODES = [
  /** The payload did not match the event's schema (the message says which field). */
  'invalid',
  /** Not signed in, or the session ended. */
  'unauthenticated',
  /** Signed in, but the capability table refuses it (or access was just lost). */
  'forbidden',
  /** No such channel or message, or it is not visible to this person. */
  'not_found',
  /** Too many events: wait `retryAfterMs` before sending again. */
  'rate_limited',
  /** The message is longer than CHANNEL_LIMITS.messageMaxChars. */
  'too_long',
  /** The same client id was already used by this person for a message in another channel. */
  'conflict',
  /** The space is archived: its channels are read-only. */
  'archived',
  /** Something failed on the server; retrying later may work. */
  'internal',
] as const;

export type ChannelErrorCode = (typeof CHANNEL_ERROR_CODES)[number];
export const channelErrorCodeSchema = z.enum(CHANNEL_ERROR_CODES);

export interface ChannelError {
  code: ChannelErrorCode;
  message: string;
  /** For `rate_limited`: how long to wait before the next attempt. */
  retryAfterMs?: number;
}

export const channelErrorSchema = z.object({
  code: channelErrorCodeSchema,
  message: z.string(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});

/** Every acknowledgement: the result, or an error. */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ChannelError };

export function channelError(code: ChannelErrorCode, message: string, retryAfterMs?: number): ChannelError {
  return retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
}

export function failure(
  code: ChannelErrorCode,
  message: string,
  retryAfterMs?: number,
): { ok: false; error: ChannelError } {
  return { ok: false, error: channelError(code, message, retryAfterMs) };
}
