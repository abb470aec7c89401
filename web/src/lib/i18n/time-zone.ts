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

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** How far the wall clock in `timeZone` is ahead of UTC at the instant `at` (ms), DST included. */
function offsetAt(at: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const part = (type: string) => Number(format.formatToParts(at).find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a calendar day (`2026-11-24`) begins in `timeZone`, in ms since the epoch: what "from that day"
 * means to a reader there. Two passes, so a day whose offset changes overnight (summer time) still starts at
 * its own midnight.
 */
export function startOfDayIn(day: string, timeZone: string): number {
  const [year = NaN, month = NaN, date = NaN] = day.split('-').map(Number);
  const midnightUtc = Date.UTC(year, month - 1, date);
  const first = midnightUtc - offsetAt(midnightUtc, timeZone);
  return midnightUtc - offsetAt(first, timeZone);
}

/** The last millisecond of a calendar day in `timeZone`. */
export function endOfDayIn(day: string, timeZone: string): number {
  const [year = NaN, month = NaN, date = NaN] = day.split('-').map(Number);
  const next = new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
  return startOfDayIn(next, timeZone) - 1;
}
