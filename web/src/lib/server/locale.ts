import type { Cookies } from '@sveltejs/kit';
import { LOCALE_COOKIE, isLocale, negotiateLocale, type Locale } from '$lib/i18n';

/** A chosen language is remembered for a year. */
const LOCALE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** The language of a request: the switcher's cookie if valid, else the best match of Accept-Language. */
export function localeOfRequest(cookies: Cookies, acceptLanguage: string | null): Locale {
  const chosen = cookies.get(LOCALE_COOKIE);
  return isLocale(chosen) ? chosen : negotiateLocale(acceptLanguage);
}

/** Remembers a language chosen with the switcher. Not a secret, but scripts have no need to read it. */
export function rememberLocale(cookies: Cookies, locale: Locale, url: URL): void {
  cookies.set(LOCALE_COOKIE, locale, {
    path: '/',
    maxAge: LOCALE_COOKIE_MAX_AGE_SECONDS,
    sameSite: 'lax',
    httpOnly: true,
    secure: url.protocol === 'https:',
  });
}
