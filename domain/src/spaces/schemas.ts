/**
 * Input schemas for spaces, their members and their documents, shared by forms, the HTTP API and the
 * services so that every boundary refuses the same input.
 */
import { z } from 'zod';
import { countryCodeSchema, emailSchema, languageCodeSchema } from '../auth/schemas.js';
import { spaceRoleSchema } from '../auth/roles.js';
import { documentTemplateSchema, spaceKindSchema } from './kinds.js';

/** Database ids travel as 24 lower-case hex characters. */
export const entityIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{24}$/, { message: 'Not an id' });

export const SPACE_TITLE_MAX_LENGTH = 200;
export const SPACE_DESCRIPTION_MAX_LENGTH = 5000;
export const DOCUMENT_TITLE_MAX_LENGTH = 200;

/** A title in any script, on one line. */
function titleSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/\p{Cc}/u.test(s), { message: 'No control characters' });
}

/** Countries and languages: no duplicates (normalised first, so `fr` and `FR` are one). */
const countriesSchema = z
  .array(countryCodeSchema)
  .max(60)
  .transform((codes) => [...new Set(codes)]);
const languagesSchema = z
  .array(languageCodeSchema)
  .max(30)
  .transform((codes) => [...new Set(codes)]);

export const createSpaceSchema = z.object({
  title: titleSchema(SPACE_TITLE_MAX_LENGTH),
  kind: spaceKindSchema,
  description: z.string().trim().max(SPACE_DESCRIPTION_MAX_LENGTH).default(''),
  countries: countriesSchema.default([]),
  languages: languagesSchema.default([]),
  /** The first owner; the staff member who creates the space when absent. Must be an existing account. */
  ownerEmail: emailSchema.optional(),
});
export type CreateSpaceInput = z.input<typeof createSpaceSchema>;

export const updateSpaceSchema = z
  .object({
    title: titleSchema(SPACE_TITLE_MAX_LENGTH),
    kind: spaceKindSchema,
    description: z.string().trim().max(SPACE_DESCRIPTION_MAX_LENGTH),
    countries: countriesSchema,
    languages: languagesSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to change' });
export type UpdateSpaceInput = z.input<typeof updateSpaceSchema>;

/** A person (an existing account, by email) or a whole organisation (all its contacts). */
export const addMemberSchema = z.union([
  z.object({ email: emailSchema, role: spaceRoleSchema }).strict(),
  z.object({ organisationId: entityIdSchema, role: spaceRoleSchema }).strict(),
]);
export type AddMemberInput = z.input<typeof addMemberSchema>;

export const changeRoleSchema = z.object({ role: spaceRoleSchema });
export type ChangeRoleInput = z.input<typeof changeRoleSchema>;

export const createDocumentSchema = z.object({
  title: titleSchema(DOCUMENT_TITLE_MAX_LENGTH),
  template: documentTemplateSchema.default('blank'),
  /** The folder it goes in; the space's root when absent or null. */
  parentId: entityIdSchema.nullish(),
});
export type CreateDocumentInput = z.input<typeof createDocumentSchema>;

export const createFolderSchema = z.object({
  title: titleSchema(DOCUMENT_TITLE_MAX_LENGTH),
  parentId: entityIdSchema.nullish(),
});
export type CreateFolderInput = z.input<typeof createFolderSchema>;

/** Rename, move (parentId null: to the root), or both at once. */
export const updateDocumentNodeSchema = z
  .object({
    title: titleSchema(DOCUMENT_TITLE_MAX_LENGTH),
    parentId: entityIdSchema.nullable(),
  })
  .partial()
  .refine((v) => v.title !== undefined || v.parentId !== undefined, { message: 'Nothing to change' });
export type UpdateDocumentNodeInput = z.input<typeof updateDocumentNodeSchema>;
