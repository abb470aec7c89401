import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber, negotiateLocale, translator } from '../src/lib/i18n';
import { en } from '../src/lib/i18n/messages/en';
import { fr } from '../src/lib/i18n/messages/fr';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['fr-CH, fr;q=0.9, en;q=0.8', 'fr'],
    ['de-DE,de;q=0.9,fr;q=0.5,en;q=0.4', 'fr'],
    ['en-GB,en;q=0.9,fr;q=0.8', 'en'],
    ['de, it', 'en'],
    ['fr;q=0.2, en;q=0.7', 'en'],
    ['fr;q=0, en;q=0.1', 'en'],
    ['*', 'en'],
    ['FR-be', 'fr'],
    ['not a header;;;,,q=', 'en'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  it('ignores a refused language (q=0) even when listed first', () => {
    expect(negotiateLocale('fr;q=0, de')).toBe('en');
  });

  it('reads only the start of an absurdly long header', () => {
    expect(negotiateLocale(`${'xx;q=0.9, '.repeat(10_000)}fr`)).toBe('en');
  });
});

describe('catalogs', () => {
  it('French has exactly the English keys', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('French uses the same placeholders as English for every message', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect({ key, placeholders: placeholders(fr[key]) }).toEqual({
        key,
        placeholders: placeholders(en[key]),
      });
    }
  });

  it('no message is empty', () => {
    for (const text of [...Object.values(en), ...Object.values(fr)]) expect(text.trim()).not.toBe('');
  });
});

describe('translator', () => {
  it('returns the message of the locale', () => {
    expect(translator('en')('signIn.heading')).toBe('Sign in');
    expect(translator('fr')('signIn.heading')).toBe('Se connecter');
  });

  it('fills placeholders, formatting numbers for the locale', () => {
    expect(translator('en')('signIn.errors.passwordTooLong', { max: 1024 })).toBe(
      'A password can have at most 1,024 characters.',
    );
    expect(translator('fr')('signIn.errors.passwordTooLong', { max: 1024 })).toMatch(
      /^Un mot de passe compte au plus 1\s024\scaractères\.$/u,
    );
    expect(translator('fr')('error.reference', { code: 'ab12' })).toBe('Référence\u202f: ab12');
  });
});

describe('Intl helpers', () => {
  it('format numbers and dates per locale', () => {
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatNumber('fr', 1234.5)).toMatch(/^1\s234,5$/u);
    const date = new Date(Date.UTC(2026, 10, 24, 12));
    expect(formatDate('en', date, 'UTC', { dateStyle: 'long' })).toBe('24 November 2026');
    expect(formatDate('fr', date, 'UTC', { dateStyle: 'long' })).toBe('24 novembre 2026');
  });
});
