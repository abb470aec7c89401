import type { Locale } from './locales';

/**
 * Locale-aware formatting through `Intl`, so dates and numbers read naturally in each language
 * (`1,234.5` in English, `1 234,5` in French). Formatters are cached: building one is costly.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<F>(cache: Map<string, F>, locale: Locale, options: object, make: () => F): F {
  const id = `${locale}:${JSON.stringify(options)}`;
  let format = cache.get(id);
  if (!format) {
    format = make();
    cache.set(id, format);
  }
  return format;
}

export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached(numberFormats, locale, options, () => new Intl.NumberFormat(locale, options)).format(value);
}

export function formatDate(
  locale: Locale,
  value: Date | number,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'long' },
): string {
  return cached(dateFormats, locale, options, () => new Intl.DateTimeFormat(locale, options)).format(value);
}

export function formatDateTime(locale: Locale, value: Date | number): string {
  return formatDate(locale, value, { dateStyle: 'medium', timeStyle: 'short' });
}
