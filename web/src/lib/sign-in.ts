/**
 * Limits of the sign-in form, shared by the page (maxlength) and the server (validation).
 * 254 is the longest address SMTP can deliver to (RFC 5321 path limit).
 */
export const SIGN_IN_LIMITS = {
  emailMaxLength: 254,
  passwordMaxLength: 1024,
} as const;

/** Why a field was refused; each is a key of the message catalogs under `signIn.errors.`. */
export type SignInFieldError =
  'emailRequired' | 'emailInvalid' | 'emailTooLong' | 'passwordRequired' | 'passwordTooLong';
