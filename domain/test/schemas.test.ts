import { describe, expect, it } from 'vitest';
import {
  COUNTRY_CODES,
  LANGUAGE_CODES,
  countryCodeSchema,
  emailSchema,
  expertiseAreaSchema,
  languageCodeSchema,
  nameSchema,
  passwordSchema,
  signInSchema,
} from '../src/index.js';

describe('emailSchema', () => {
  it('trims and lower-cases', () => {
    expect(emailSchema.parse('  Anna.Smith@Example.ORG ')).toBe('anna.smith@example.org');
  });
  it('refuses what is not an address, and over-long ones', () => {
    for (const bad of ['', 'anna', 'anna@', '@example.org', 'a b@example.org']) {
      expect(emailSchema.safeParse(bad).success).toBe(false);
    }
    expect(emailSchema.safeParse(`${'a'.repeat(250)}@example.org`).success).toBe(false);
  });
});

describe('passwordSchema', () => {
  it('accepts 8 to 128 characters, with no composition rules', () => {
    expect(passwordSchema.safeParse('abcdefgh').success).toBe(true);
    expect(passwordSchema.safeParse('a'.repeat(64)).success).toBe(true);
    expect(passwordSchema.safeParse('x'.repeat(128)).success).toBe(true);
    expect(passwordSchema.safeParse('abcdefg').success).toBe(false);
    expect(passwordSchema.safeParse('x'.repeat(129)).success).toBe(false);
  });
  it('counts characters as a person sees them, not UTF-16 units', () => {
    // Seven emoji are fourteen UTF-16 units but seven characters: too short.
    expect(passwordSchema.safeParse('😀'.repeat(7)).success).toBe(false);
    expect(passwordSchema.safeParse('😀'.repeat(8)).success).toBe(true);
  });
});

describe('nameSchema', () => {
  it('accepts any script, trims, refuses empty and control characters', () => {
    expect(nameSchema.parse('  Ana Šimić ')).toBe('Ana Šimić');
    expect(nameSchema.safeParse('Zoë Ἀθηνᾶ 李').success).toBe(true);
    expect(nameSchema.safeParse('   ').success).toBe(false);
    expect(nameSchema.safeParse('a\u0000b').success).toBe(false);
    expect(nameSchema.safeParse('x'.repeat(201)).success).toBe(false);
  });
});

describe('country and language codes', () => {
  it('has the 249 assigned ISO 3166-1 codes plus XK, and the 183 ISO 639-1 codes, without duplicates', () => {
    expect(new Set(COUNTRY_CODES).size).toBe(250);
    expect(new Set(LANGUAGE_CODES).size).toBe(183);
  });
  it('normalises case and refuses unknown codes', () => {
    expect(countryCodeSchema.parse('fr')).toBe('FR');
    expect(countryCodeSchema.parse('HR')).toBe('HR');
    expect(countryCodeSchema.safeParse('EU').success).toBe(false);
    expect(countryCodeSchema.safeParse('UK').success).toBe(false);
    expect(countryCodeSchema.safeParse('FRA').success).toBe(false);
    expect(languageCodeSchema.parse('NL')).toBe('nl');
    expect(languageCodeSchema.safeParse('xx').success).toBe(false);
    expect(languageCodeSchema.safeParse('fre').success).toBe(false);
  });
});

describe('expertiseAreaSchema and signInSchema', () => {
  it('accepts only the fixed keys', () => {
    expect(expertiseAreaSchema.safeParse('research').success).toBe(true);
    expect(expertiseAreaSchema.safeParse('Research').success).toBe(false);
  });
  it('bounds the sign-in password without applying the policy', () => {
    expect(signInSchema.safeParse({ email: 'A@b.org', password: 'short' }).success).toBe(true);
    expect(signInSchema.safeParse({ email: 'A@b.org', password: '' }).success).toBe(false);
  });
});
