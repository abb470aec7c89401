import { z } from 'zod';

/** The cookie in which the browser tells the server its IANA time zone, so server-rendered dates match it. */
export const TIME_ZONE_COOKIE = 'tz';

/** The zone used until the reader's is known (servers run in UTC, and so do their logs). */
export const DEFAULT_TIME_ZONE = 'UTC';

/** IANA names are short (the longest is about 30 characters); anything far longer is not one. */
export const TIME_ZONE_MAX_LENGTH = 64;

function knownToIntl(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A time zone that `Intl` knows (`Europe/Paris`, `UTC`). The cookie comes from the browser, so the
 * characters are checked before `Intl` ever sees the value, and `Intl` then refuses names it does not know.
 */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(TIME_ZONE_MAX_LENGTH)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/)
  .refine(knownToIntl, { message: 'Unknown time zone' });

/** The reader's zone from the cookie's value, or UTC when it is missing or not a real zone. */
export function timeZoneOrDefault(value: unknown): string {
  const parsed = timeZoneSchema.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_TIME_ZONE;
}
