/**
 * The member directory's shared shapes: search filters (a page's query string and the API's), a person's own
 * profile and what of it they show. Browser forms, the HTTP API and the database services validate with these
 * same schemas, so all three accept and refuse the same input.
 */
import { z } from 'zod';
import { countryCodeSchema, expertiseAreaSchema, languageCodeSchema, nameSchema } from '../auth/schemas.js';

/** Results per page unless the caller asks otherwise, and the most it may ask for. */
export const DIRECTORY_PAGE_SIZE = 20;
export const DIRECTORY_MAX_PAGE_SIZE = 100;
/** Longest name search; longer text cannot be part of a name anyway. */
export const DIRECTORY_QUERY_MAX_LENGTH = 200;

/**
 * Categories an organisation is listed under. Former member organisations are not in the directory: they are
 * no longer part of the network, and their contacts may not want to be found through it.
 */
export const DIRECTORY_ORGANISATION_CATEGORIES = ['member', 'applicant'] as const;
export type DirectoryOrganisationCategory = (typeof DIRECTORY_ORGANISATION_CATEGORIES)[number];

/** A person's category: their organisation's, or `individual` (a member of no organisation), or `staff`. */
export const DIRECTORY_PERSON_CATEGORIES = ['member', 'applicant', 'individual', 'staff'] as const;
export type DirectoryPersonCategory = (typeof DIRECTORY_PERSON_CATEGORIES)[number];

/** What the directory lists: organisations or people. */
export const DIRECTORY_KINDS = ['organisations', 'people'] as const;
export type DirectoryKind = (typeof DIRECTORY_KINDS)[number];

/** Empty strings (an untouched `<select>` of a GET form) mean "no filter". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const baseQuery = {
  /** Part of the name, in any case and with or without accents. */
  q: optional(z.string().trim().max(DIRECTORY_QUERY_MAX_LENGTH)),
  country: optional(countryCodeSchema),
  language: optional(languageCodeSchema),
  expertise: optional(expertiseAreaSchema),
  page: optional(positiveInt(1_000_000)).default(1),
  pageSize: optional(positiveInt(DIRECTORY_MAX_PAGE_SIZE)).default(DIRECTORY_PAGE_SIZE),
};

export const organisationSearchSchema = z.object({
  ...baseQuery,
  category: optional(z.enum(DIRECTORY_ORGANISATION_CATEGORIES)),
});
export type OrganisationSearch = z.output<typeof organisationSearchSchema>;
export type OrganisationSearchInput = z.input<typeof organisationSearchSchema>;

export const personSearchSchema = z.object({
  ...baseQuery,
  category: optional(z.enum(DIRECTORY_PERSON_CATEGORIES)),
});
export type PersonSearch = z.output<typeof personSearchSchema>;
export type PersonSearchInput = z.input<typeof personSearchSchema>;

export const PROFILE_LIMITS = {
  jobTitle: 200,
  bio: 2000,
  phone: 40,
  website: 2048,
  languages: 30,
  expertise: 15,
} as const;

/** A phone number as people write it: digits, spaces and the usual separators, an optional leading +. */
const phoneSchema = z
  .string()
  .trim()
  .max(PROFILE_LIMITS.phone)
  .refine((s) => s === '' || /^\+?[0-9 ().\-/]{3,}$/.test(s), { message: 'Not a phone number' });

/** Only http(s) links: a profile must never carry `javascript:` or other schemes into a page's href. */
export const websiteSchema = z
  .string()
  .trim()
  .max(PROFILE_LIMITS.website)
  .refine(
    (s) => {
      if (s === '') return true;
      try {
        const url = new URL(s);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'Not an http(s) address' },
  );

/** Control characters other than tab and line breaks (which a bio or a description may contain). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const noControl = (max: number, multiline = false) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !(multiline ? CONTROL_EXCEPT_LINES : /\p{Cc}/u).test(s), {
      message: 'No control characters',
    });

/** What a person says about themselves in the directory. Empty strings and empty lists mean "not given". */
export const profileFieldsSchema = z.object({
  jobTitle: noControl(PROFILE_LIMITS.jobTitle),
  country: countryCodeSchema.nullable(),
  languages: z.array(languageCodeSchema).max(PROFILE_LIMITS.languages),
  expertise: z.array(expertiseAreaSchema).max(PROFILE_LIMITS.expertise),
  bio: noControl(PROFILE_LIMITS.bio, true),
  phone: phoneSchema,
  website: websiteSchema,
});
export type ProfileFields = z.output<typeof profileFieldsSchema>;

/**
 * What of theirs a person shows. Defaults respect privacy while keeping the directory useful: listed, email
 * shown to members (so partners can reach them), phone hidden.
 */
export const profileVisibilitySchema = z.object({
  /** Whether the person appears in the directory at all (and as a contact of their organisation). */
  listed: z.boolean(),
  /** Whether signed-in members may see their email address. */
  email: z.boolean(),
  /** Whether signed-in members may see their phone number. */
  phone: z.boolean(),
});
export type ProfileVisibility = z.output<typeof profileVisibilitySchema>;

export const DEFAULT_PROFILE_VISIBILITY: ProfileVisibility = { listed: true, email: true, phone: false };

/** A change to one's own profile: any subset of the fields, the name and the visibility choices. */
export const profileUpdateSchema = z
  .object({
    name: nameSchema,
    ...profileFieldsSchema.shape,
    visibility: profileVisibilitySchema.partial(),
  })
  .partial()
  .strict();
export type ProfileUpdate = z.output<typeof profileUpdateSchema>;
export type ProfileUpdateInput = z.input<typeof profileUpdateSchema>;

/** A new organisation (staff): the organisation's directory fields. */
export const organisationCreateSchema = z
  .object({
    name: nameSchema,
    country: countryCodeSchema,
    languages: z.array(languageCodeSchema).max(50).default([]),
    expertise: z.array(expertiseAreaSchema).max(50).default([]),
    category: z.enum(['member', 'applicant', 'former']).default('member'),
    website: websiteSchema.default(''),
    description: noControl(10_000, true).default(''),
  })
  .strict();
export type OrganisationCreate = z.output<typeof organisationCreateSchema>;
export type OrganisationCreateInput = z.input<typeof organisationCreateSchema>;
