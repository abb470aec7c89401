import { z } from 'zod';
import { SIGN_IN_LIMITS, type SignInFieldError } from '../sign-in';

export interface SignInFieldErrors {
  email?: SignInFieldError;
  password?: SignInFieldError;
}

export type SignInFormResult =
  { ok: true; email: string } | { ok: false; email: string; errors: SignInFieldErrors };

const emailSchema = z.email();

/** A form field as text; a file upload or a missing field counts as empty. */
function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/**
 * Validates the sign-in form. Returns only the (trimmed, length-capped) email to show back in the
 * form; the password never leaves this function.
 */
export function parseSignInForm(form: FormData): SignInFormResult {
  const email = text(form, 'email').trim();
  const password = text(form, 'password');
  const errors: SignInFieldErrors = {};

  if (email === '') errors.email = 'emailRequired';
  else if (email.length > SIGN_IN_LIMITS.emailMaxLength) errors.email = 'emailTooLong';
  else if (!emailSchema.safeParse(email).success) errors.email = 'emailInvalid';

  if (password === '') errors.password = 'passwordRequired';
  else if (password.length > SIGN_IN_LIMITS.passwordMaxLength) errors.password = 'passwordTooLong';

  const shownEmail = email.slice(0, SIGN_IN_LIMITS.emailMaxLength);
  if (errors.email || errors.password) return { ok: false, email: shownEmail, errors };
  return { ok: true, email: shownEmail };
}
