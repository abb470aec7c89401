/**
 * Search terms of a message: the words of its text, lower-cased and without accents, each once. They are
 * stored beside the message in an indexed array, since the embedded database has no `$text` index: a search
 * for words is an equality match on that array (an index lookup), the same on MongoDB and the embedded
 * server. "Enfant" finds "enfants"? No: terms match whole words, or a prefix for the last word typed.
 */
const MAX_TERMS = 400;
const MAX_TERM_CHARS = 40;

export function normaliseTerm(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The distinct words of `text` (mention ids and link targets left out), at most MAX_TERMS. */
export function searchTermsOf(text: string): string[] {
  const visible = text
    .replace(/\((?:person|organisation):[0-9a-f]{24}\)/g, ' ')
    .replace(/\]\([^()\s]*\)/g, ' ');
  const terms = new Set<string>();
  for (const match of normaliseTerm(visible).matchAll(/[\p{L}\p{N}]+/gu)) {
    const term = match[0].slice(0, MAX_TERM_CHARS);
    if (term.length < 2 && !/\p{N}/u.test(term)) continue;
    terms.add(term);
    if (terms.size >= MAX_TERMS) break;
  }
  return [...terms];
}
