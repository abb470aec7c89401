/**
 * How the directory names things in the reader's language: countries and languages through `Intl`
 * (so every code has a name without a translation table of our own), areas of expertise and categories
 * through the message catalog, and result counts with the language's plural rules.
 */
import {
  COUNTRY_CODES,
  DIRECTORY_ORGANISATION_CATEGORIES,
  DIRECTORY_PERSON_CATEGORIES,
  EXPERTISE_AREAS,
  LANGUAGE_CODES,
  type DirectoryKind,
  type DirectoryPersonCategory,
  type ExpertiseArea,
} from '@cope/domain';
import type { Locale, Translate } from '$lib/i18n';

const displayNames = new Map<string, Intl.DisplayNames>();

function names(locale: Locale, type: 'region' | 'language'): Intl.DisplayNames {
  const id = `${locale}:${type}`;
  let found = displayNames.get(id);
  if (found === undefined) {
    found = new Intl.DisplayNames(locale, { type, fallback: 'code' });
    displayNames.set(id, found);
  }
  return found;
}

export function countryName(locale: Locale, code: string): string {
  return names(locale, 'region').of(code) ?? code;
}

export function languageName(locale: Locale, code: string): string {
  const name = names(locale, 'language').of(code) ?? code;
  // French and others write language names in lower case; in a list they start with a capital.
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1);
}

/**
 * Languages in a running list, the way the language writes one ("French and English", "Français et
 * anglais"): only the list's first letter is a capital.
 */
export function languageList(locale: Locale, codes: readonly string[]): string {
  const text = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(
    codes.map((code) => names(locale, 'language').of(code) ?? code),
  );
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

export interface Option {
  value: string;
  label: string;
}

function sorted(locale: Locale, options: Option[]): Option[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return options.sort((a, b) => collator.compare(a.label, b.label));
}

export function countryOptions(locale: Locale): Option[] {
  return sorted(
    locale,
    COUNTRY_CODES.map((code) => ({ value: code, label: countryName(locale, code) })),
  );
}

export function languageOptions(locale: Locale, codes: readonly string[] = LANGUAGE_CODES): Option[] {
  const options = codes.map((code) => ({ value: code, label: languageName(locale, code) }));
  // Two codes may share a name (Akan for `ak` and `tw`): the code tells them apart.
  const seen = new Map<string, number>();
  for (const o of options) seen.set(o.label, (seen.get(o.label) ?? 0) + 1);
  for (const o of options) if ((seen.get(o.label) ?? 0) > 1) o.label = `${o.label} (${o.value})`;
  return sorted(locale, options);
}

/**
 * The languages offered as checkboxes on a profile: the European Union's official languages and the other
 * languages most spoken across the Council of Europe's members (a person's other languages stay offered).
 */
export const PROFILE_LANGUAGES: readonly string[] = (
  'bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv ' +
  'ar bs ca cy eu gl hy is ka lb mk no ru sq sr tr uk'
).split(' ');

/**
 * The languages the directory's filter offers: the profile's languages, plus the one in the address if it is
 * another. Every ISO 639-1 code would put Avestan and Volapük in a newcomer's way, and browsers name fewer
 * languages than the server does (Chromium showed bare codes such as "Aa" once the page was live).
 */
export function filterLanguageCodes(selected?: string): string[] {
  const codes = [...PROFILE_LANGUAGES];
  const extra = selected?.toLowerCase();
  if (extra && (LANGUAGE_CODES as readonly string[]).includes(extra) && !codes.includes(extra))
    codes.push(extra);
  return codes;
}

export function expertiseLabel(t: Translate, area: ExpertiseArea): string {
  return t(`directory.expertise.${area}`);
}

export function expertiseOptions(t: Translate, locale: Locale): Option[] {
  return sorted(
    locale,
    EXPERTISE_AREAS.map((area) => ({ value: area, label: expertiseLabel(t, area) })),
  );
}

export function categoryLabel(t: Translate, category: DirectoryPersonCategory): string {
  return t(`directory.category.${category}`);
}

export function categoryOptions(t: Translate, kind: DirectoryKind): Option[] {
  const categories = kind === 'people' ? DIRECTORY_PERSON_CATEGORIES : DIRECTORY_ORGANISATION_CATEGORIES;
  return categories.map((category) => ({ value: category, label: categoryLabel(t, category) }));
}

/** "3 organisations found", with the plural form the language uses for that number. */
export function resultCount(t: Translate, locale: Locale, kind: DirectoryKind, count: number): string {
  const one = new Intl.PluralRules(locale).select(count) === 'one';
  if (kind === 'people')
    return one
      ? t('directory.results.people.one', { count })
      : t('directory.results.people.other', { count });
  return one
    ? t('directory.results.organisations.one', { count })
    : t('directory.results.organisations.other', { count });
}
