/**
 * What each mail template needs, as zod schemas: the one source of both the runtime check at the mailer's
 * boundary and the TypeScript types of the catalogs (`TemplateParams`). Adding a template here without
 * writing it in every language is a compile error in `./catalog.ts`.
 */
import { nameSchema } from '@cope/domain';
import { z } from 'zod';

/** A single-use token as the accounts code issues them (base32/base64url/hex): URL-safe, so links stay intact. */
export const tokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, {
  message: 'A token is 16 to 256 URL-safe characters (A-Z a-z 0-9 _ -)',
});

/** A moment: a valid `Date`, or an ISO 8601 date-time string with an offset (as it arrives in JSON). */
export const instantSchema = z.union([
  z.date(),
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
]);

/** Free text staff write to an applicant (a reason, a question): several lines, no other control characters. */
export const staffTextSchema = z
  .string()
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(
    z
      .string()
      .min(1)
      .max(4000)
      .refine((s) => !hasControlCharacterOtherThanNewLineOrTab(s), {
        message: 'No control characters other than new lines and tabs',
      }),
  );

function hasControlCharacterOtherThanNewLineOrTab(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

const applicationBase = {
  /** The applying organisation's name. */
  organisationName: nameSchema,
  /** The contact person who applied, greeted by name. */
  contactName: nameSchema,
};

export const templateParamSchemas = {
  invitation: z.object({
    /** The staff member who sends the invitation. */
    inviterName: nameSchema,
    /** The invitee's name if staff typed one; the greeting is neutral without it. */
    inviteeName: nameSchema.optional(),
    /** The organisation the invitee joins as a contact; absent for an individual member. */
    organisationName: nameSchema.optional(),
    token: tokenSchema,
    expiresAt: instantSchema,
  }),
  'password-reset': z.object({
    name: nameSchema.optional(),
    token: tokenSchema,
    expiresAt: instantSchema,
  }),
  'application-received': z.object(applicationBase),
  'application-approved': z.object({
    ...applicationBase,
    /** The category the board granted: applicants start a term of one to three years. */
    category: z.enum(['member', 'applicant']),
  }),
  'application-rejected': z.object({ ...applicationBase, reason: staffTextSchema }),
  'application-more-info': z.object({ ...applicationBase, request: staffTextSchema }),
  'affiliate-confirm-email': z.object({
    name: nameSchema.optional(),
    token: tokenSchema,
    expiresAt: instantSchema.optional(),
  }),
  /** Someone signed up for the news with an address that already has an account: its owner is told. */
  'affiliate-account-exists': z.object({
    name: nameSchema.optional(),
  }),
} as const;

export type TemplateName = keyof typeof templateParamSchemas;

export const TEMPLATE_NAMES = Object.keys(templateParamSchemas) as TemplateName[];

/** Parameters after validation (dates are `Date`s), as templates receive them. */
export type TemplateParams = { [K in TemplateName]: z.output<(typeof templateParamSchemas)[K]> };

/** Parameters as callers may give them (dates as `Date` or ISO strings). */
export type TemplateParamsInput = { [K in TemplateName]: z.input<(typeof templateParamSchemas)[K]> };
