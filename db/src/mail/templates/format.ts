/**
 * Dates in mails, in the recipient's language, with the time zone spelled out: the reader may be in any
 * country of the network, so "17:00" alone would be ambiguous.
 */
import type { Locale } from '@cope/domain';

/** British English rather than US: day before month, as readers across Europe expect. */
const INTL_LOCALE: Readonly<Record<Locale, string>> = { en: 'en-GB', fr: 'fr-FR' };

const formats = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(locale: Locale, value: Date, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone,
    });
    formats.set(key, format);
  }
  return `${format.format(value)} (${timeZoneLabel(timeZone)})`;
}

function timeZoneLabel(timeZone: string): string {
  return timeZone === 'Etc/UTC' ? 'UTC' : timeZone;
}

/** True when `Intl` knows the IANA time zone name (e.g. `Europe/Paris`). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
