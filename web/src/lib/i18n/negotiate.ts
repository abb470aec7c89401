import { DEFAULT_LOCALE, isLocale, type Locale } from './locales';

interface Range {
  /** The primary language subtag, lower-cased (`fr` for `fr-BE`), or `*`. */
  language: string;
  quality: number;
  /** Position in the header, to keep the client's order between equal qualities. */
  order: number;
}

/** Accept-Language headers longer than this are cut: nobody lists that many languages. */
const MAX_HEADER_LENGTH = 1024;

function parseRanges(header: string): Range[] {
  const ranges: Range[] = [];
  header
    .slice(0, MAX_HEADER_LENGTH)
    .split(',')
    .forEach((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const language = tag.trim().toLowerCase().split('-')[0] ?? '';
      if (!/^([a-z]{1,8}|\*)$/.test(language)) return;
      let quality = 1;
      for (const param of params) {
        const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
        if (match?.[1] !== undefined) quality = Number(match[1]);
      }
      if (quality > 0 && quality <= 1) ranges.push({ language, quality, order });
    });
  return ranges.sort((a, b) => b.quality - a.quality || a.order - b.order);
}

/**
 * The best supported locale for an `Accept-Language` header (RFC 9110 §12.5.4), matching on the
 * primary language so `fr-CH` picks French. Malformed or missing headers fall back to English.
 */
export function negotiateLocale(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  for (const { language } of parseRanges(header)) {
    if (language === '*') return DEFAULT_LOCALE;
    if (isLocale(language)) return language;
  }
  return DEFAULT_LOCALE;
}
