/**
 * The languages the interface speaks. English is the source language of every message and the
 * fallback when nothing better matches.
 */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie that remembers a language chosen with the switcher. */
export const LOCALE_COOKIE = 'cope_locale';

/** The query parameter the language switcher's links carry (`?lang=fr`). */
export const LOCALE_PARAM = 'lang';

/** Each language's name in that language, as people look for it in a switcher. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  fr: 'Français',
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}
