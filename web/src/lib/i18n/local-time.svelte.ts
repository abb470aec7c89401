import { page } from '$app/state';
import { formatDate, formatDateTime } from './format';
import type { Locale } from './locales';
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, timeZoneOrDefault, timeZoneSchema } from './time-zone';

/**
 * Dates in the reader's time zone, the same on the server and in the browser.
 *
 * The server knows the zone from the `tz` cookie (hooks.server.ts → `locals.timeZone` → the root
 * layout's data), so pages rendered without JavaScript already show the reader's time once the cookie
 * exists. Hydration formats with that same zone from the page data, so the markup matches; only then
 * (`markHydrated`, from the root layout's `onMount`) does the browser switch to its own zone, which
 * differs only on a first visit or after travelling.
 */
const clock = $state({ hydrated: false });

/** The browser's own zone, or null where `Intl` gives none that it accepts. */
function browserTimeZone(): string | null {
  const parsed = timeZoneSchema.safeParse(Intl.DateTimeFormat().resolvedOptions().timeZone);
  return parsed.success ? parsed.data : null;
}

/**
 * Called once from the root layout's `onMount`: dates re-render in the browser's zone, and the cookie
 * is updated so the next server render uses it too.
 */
export function markHydrated(): void {
  clock.hydrated = true;
  const own = browserTimeZone();
  if (own === null || own === serverTimeZone()) return;
  const oneYear = 365 * 24 * 60 * 60;
  const secure = location.protocol === 'https:' ? '; Secure' : '';
  document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(own)}; Path=/; Max-Age=${oneYear}; SameSite=Lax${secure}`;
}

/** The zone the server rendered with (UTC on an error page rendered before the root layout's data). */
function serverTimeZone(): string {
  const fromData: unknown = page.data.timeZone;
  return fromData === undefined ? DEFAULT_TIME_ZONE : timeZoneOrDefault(fromData);
}

/** The zone every date on the page is shown in; reading it inside markup re-renders after hydration. */
export function readerTimeZone(): string {
  return (clock.hydrated ? browserTimeZone() : null) ?? serverTimeZone();
}

export function localDate(
  locale: Locale,
  value: Date | number,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
): string {
  return formatDate(locale, value, readerTimeZone(), options);
}

export function localDateTime(locale: Locale, value: Date | number): string {
  return formatDateTime(locale, value, readerTimeZone());
}
