import { page } from '$app/state';
import { DEFAULT_LOCALE, isLocale, type Locale } from './locales';
import { translator, type Translate } from './translate';

/**
 * The language of the page being shown, from the root layout's data. Falls back to English where
 * that data is missing (an error thrown before the root layout loaded), so an error page still renders.
 */
export function currentLocale(): Locale {
  const locale: unknown = page.data.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/** The message accessor for the current page; call inside `$derived` so it follows language changes. */
export function currentTranslator(): Translate {
  return translator(currentLocale());
}
