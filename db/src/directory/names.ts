/**
 * Name matching and ordering for the directory. Names are matched in the process rather than by a database
 * regex: folding case and accents ("Élise" found by "elise", "Straße" by "strasse") needs Unicode
 * normalisation, which neither MongoDB's regexes nor the embedded server's apply, and ordering needs a
 * collator so that "Élan" sorts with the E's, not after Z.
 */

/** Letters that carry no combining mark under NFKD but that people type without their stroke or ligature. */
const SPECIAL_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  ħ: 'h',
  ı: 'i',
  þ: 'th',
};

/** A name reduced for comparison: compatibility-decomposed, marks removed, lower case, spaces collapsed. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøđðłħıþ]/g, (c) => SPECIAL_FOLDS[c] ?? c)
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Whether `name` contains the search text `query` (already folded), ignoring case and accents. */
export function nameMatches(name: string, foldedQuery: string): boolean {
  return foldedQuery === '' || foldName(name).includes(foldedQuery);
}

const collators = new Map<string, Intl.Collator>();

/** Alphabetical order for the reader's language, accents and case as secondary differences only. */
export function nameCollator(locale: string): Intl.Collator {
  let collator = collators.get(locale);
  if (collator === undefined) {
    collator = new Intl.Collator(locale, { sensitivity: 'base', numeric: true });
    collators.set(locale, collator);
  }
  return collator;
}
