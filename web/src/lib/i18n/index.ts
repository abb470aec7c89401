export { DEFAULT_LOCALE, LOCALES, LOCALE_COOKIE, LOCALE_NAMES, LOCALE_PARAM, isLocale } from './locales';
export type { Locale } from './locales';
export { negotiateLocale } from './negotiate';
export { translator } from './translate';
export type { MessageKey, Translate } from './translate';
export { formatDate, formatDateTime, formatNumber } from './format';
