/** Input schemas for accounts, shared by browser forms and server boundaries so both refuse the same input. */
import { z } from 'zod';
import { COUNTRY_CODES, EXPERTISE_AREAS, LANGUAGE_CODES } from './codes.js';

/** RFC 5321 limits a forward path to 256 octets including the angle brackets, so an address to 254. */
export const EMAIL_MAX_LENGTH = 254;

/** Trimmed and lower-cased: one mailbox, one account, whatever the case it was typed in. */
export const emailSchema = z.string().trim().toLowerCase().max(EMAIL_MAX_LENGTH).pipe(z.email());

/**
 * The password policy (NIST SP 800-63B, OWASP ASVS): a length range and nothing else here; no composition
 * rules. Length counts Unicode code points, so a passphrase in any script counts as the person sees it.
 * The server also refuses the most common passwords (that list is too large to ship to the browser).
 */
export const PASSWORD_POLICY = { minLength: 8, maxLength: 128 } as const;

export const passwordSchema = z
  .string()
  .refine((s) => [...s].length >= PASSWORD_POLICY.minLength, {
    message: `At least ${PASSWORD_POLICY.minLength} characters`,
  })
  .refine((s) => [...s].length <= PASSWORD_POLICY.maxLength, {
    message: `At most ${PASSWORD_POLICY.maxLength} characters`,
  });

export const NAME_MAX_LENGTH = 200;

/** A person's or an organisation's display name: any script, no control characters. */
export const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(NAME_MAX_LENGTH)
  .refine((s) => !/\p{Cc}/u.test(s), { message: 'No control characters' });

const countrySet: ReadonlySet<string> = new Set(COUNTRY_CODES);
const languageSet: ReadonlySet<string> = new Set(LANGUAGE_CODES);

/** ISO 3166-1 alpha-2, upper case as the standard writes it; lower-case input is accepted and normalised. */
export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .refine((s) => countrySet.has(s), { message: 'Not an ISO 3166-1 alpha-2 country code' });

/** ISO 639-1, lower case. */
export const languageCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((s) => languageSet.has(s), { message: 'Not an ISO 639-1 language code' });

export const expertiseAreaSchema = z.enum(EXPERTISE_AREAS);

/** Sign-in form: the password is only length-bounded here, so an old password never gets a policy error. */
export const signInSchema = z.object({
  email: emailSchema,
  password: z
    .string()
    .min(1)
    .max(PASSWORD_POLICY.maxLength * 4),
});
