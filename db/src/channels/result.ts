import { channelError, type ChannelError, type ChannelErrorCode } from '@cope/domain';

/** A channel service's answer: the value, or a refusal in the socket contract's error shape. */
export type ChannelResult<T> = { ok: true; value: T } | { ok: false; error: ChannelError };

export const ok = <T>(value: T): ChannelResult<T> => ({ ok: true, value });
export const refuse = <T = never>(code: ChannelErrorCode, message: string): ChannelResult<T> => ({
  ok: false,
  error: channelError(code, message),
});
