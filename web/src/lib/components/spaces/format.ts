import type { Locale } from '$lib/i18n';

/** "Ana, Ben and Chloé" / "Ana, Ben et Chloé": names joined the way each language does. */
export function formatNames(locale: Locale, names: readonly string[]): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(names);
}

/** A country's name in the reader's language from its ISO code (the code itself if unknown). */
export function countryName(locale: Locale, code: string): string {
  return new Intl.DisplayNames(locale, { type: 'region', fallback: 'code' }).of(code) ?? code;
}

/** A language's name in the reader's language from its ISO 639-1 code. */
export function languageName(locale: Locale, code: string): string {
  return new Intl.DisplayNames(locale, { type: 'language', fallback: 'code' }).of(code) ?? code;
}
