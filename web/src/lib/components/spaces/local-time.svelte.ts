import { formatDateTime, type Locale } from '$lib/i18n';

/**
 * The server renders dates in its own time zone, which is rarely the reader's. Once the page runs in the
 * browser this flag flips, and every date formatted through `localDateTime` is shown again in the reader's
 * time zone (reading the flag makes the text depend on it).
 */
const clock = $state({ inBrowser: false });

/** Called from `onMount` of the components that show dates. */
export function markInBrowser(): void {
  clock.inBrowser = true;
}

export function localDateTime(locale: Locale, date: Date): string {
  void clock.inBrowser;
  return formatDateTime(locale, date);
}
