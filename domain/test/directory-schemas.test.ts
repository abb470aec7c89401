/** The directory's shared schemas: what a GET form, the API and the services accept and refuse alike. */
import { describe, expect, it } from 'vitest';
import {
  DIRECTORY_MAX_PAGE_SIZE,
  organisationCreateSchema,
  organisationSearchSchema,
  personSearchSchema,
  profileUpdateSchema,
} from '../src/index';

describe('search filters', () => {
  it('treat empty fields of a GET form as no filter and read numbers from text', () => {
    expect(
      organisationSearchSchema.parse({ q: '', country: 'fr', language: '', expertise: '', page: '2' }),
    ).toEqual({ country: 'FR', page: 2, pageSize: 20 });
  });

  it('refuse unknown codes, a page below 1 and pages too large', () => {
    for (const bad of [
      { country: 'ZZ' },
      { language: 'xx' },
      { expertise: 'juggling' },
      { page: '0' },
      { page: 'two' },
      { pageSize: String(DIRECTORY_MAX_PAGE_SIZE + 1) },
      { category: 'former' },
      { q: 'x'.repeat(201) },
    ])
      expect(organisationSearchSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('people have the individual and staff categories, organisations do not', () => {
    expect(personSearchSchema.parse({ category: 'individual' }).category).toBe('individual');
    expect(personSearchSchema.parse({ category: 'staff' }).category).toBe('staff');
    expect(organisationSearchSchema.safeParse({ category: 'individual' }).success).toBe(false);
  });
});

describe('profile updates', () => {
  it('accept any subset, trimmed and normalised', () => {
    expect(profileUpdateSchema.parse({ country: 'pt', jobTitle: '  Researcher ' })).toEqual({
      country: 'PT',
      jobTitle: 'Researcher',
    });
    expect(profileUpdateSchema.parse({ visibility: { phone: true } })).toEqual({
      visibility: { phone: true },
    });
    expect(profileUpdateSchema.parse({ country: null, website: '', phone: '' })).toEqual({
      country: null,
      website: '',
      phone: '',
    });
  });

  it('keep line breaks in a bio, refuse other control characters', () => {
    expect(profileUpdateSchema.parse({ bio: 'One\nTwo\tthree' }).bio).toBe('One\nTwo\tthree');
    expect(profileUpdateSchema.safeParse({ bio: 'bell\u0007' }).success).toBe(false);
    expect(profileUpdateSchema.safeParse({ jobTitle: 'a\nb' }).success).toBe(false);
  });

  it('refuse links other than http(s), phone numbers with letters, unknown fields', () => {
    for (const bad of [
      { website: 'javascript:alert(1)' },
      { website: 'data:text/html,x' },
      { website: 'example.org' },
      { phone: '+33 abc' },
      { phone: '12' },
      { visibility: { listed: 'yes' } },
      { role: 'staff' },
      { name: ' ' },
    ])
      expect(profileUpdateSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(profileUpdateSchema.parse({ website: 'https://example.org/a?b=c' }).website).toBe(
      'https://example.org/a?b=c',
    );
    expect(profileUpdateSchema.parse({ phone: '+33 (0)1 23-45.67/89' }).phone).toBe('+33 (0)1 23-45.67/89');
  });
});

describe('new organisations', () => {
  it('default to a member with no website or description, and refuse unknown fields', () => {
    expect(organisationCreateSchema.parse({ name: 'A', country: 'be' })).toEqual({
      name: 'A',
      country: 'BE',
      languages: [],
      expertise: [],
      category: 'member',
      website: '',
      description: '',
    });
    expect(organisationCreateSchema.safeParse({ name: 'A', country: 'BE', contacts: [] }).success).toBe(
      false,
    );
  });
});
