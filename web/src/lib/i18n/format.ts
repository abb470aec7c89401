import type { Locale } from './locales';

/**
 * Locale-aware formatting through `Intl`, so dates and numbers read naturally in each language
 * (`1,234.5` in English, `1 234,5` in French). Formatters are cached: building one is costly.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();

/**
 * The `Intl` locale behind each language. English is British English: the network's readers are European and
 * expect "25 Nov 2026, 14:05", not "Nov 25, 2026, 2:05 PM".
 */
const INTL_LOCALES: Record<Locale, string> = { en: 'en-GB', fr: 'fr' };
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The `Intl` formatter of `Formatter` for the language and options, built once. */
function cached<O extends object, F>(
  cache: Map<string, F>,
  Formatter: new (locale: string, options: O) => F,
  locale: Locale,
  options: O,
): F {
  const id = `${locale}:${JSON.stringify(options)}`;
  let format = cache.get(id);
  if (!format) {
    format = new Formatter(INTL_LOCALES[locale], options);
    cache.set(id, format);
  }
  return format;
}

export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached(numberFormats, Intl.NumberFormat, locale, options).format(value);
}

/**
 * A date in the given IANA time zone. The zone is required: left out, `Intl` would use the zone of
 * whatever machine runs the code, so the server and the browser would print different times.
 * Pages pass the reader's zone (`$lib/i18n/local-time.svelte`); calendar dates stored as UTC
 * midnight pass `'UTC'`.
 */
export function formatDate(
  locale: Locale,
  value: Date | number,
  timeZone: string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
): string {
  return cached(dateFormats, Intl.DateTimeFormat, locale, { ...options, timeZone }).format(value);
}

export function formatDateTime(locale: Locale, value: Date | number, timeZone: string): string {
  return formatDate(locale, value, timeZone, { dateStyle: 'medium', timeStyle: 'short' });
}
