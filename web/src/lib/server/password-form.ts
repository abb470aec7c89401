import type { PasswordFieldError, PasswordFormErrors } from '../password-form';

/** A form field as text; a file upload or a missing field counts as empty. */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** The account services' password refusals, as the form shows them. */
export function passwordProblem(code: string): PasswordFieldError | undefined {
  return code === 'tooShort' || code === 'tooLong' || code === 'common' ? code : undefined;
}

/** The checks the page makes before asking the service (which applies the full policy again). */
export function checkPasswordForm(fields: { name?: string; password: string }): PasswordFormErrors {
  const errors: PasswordFormErrors = {};
  if (fields.name !== undefined && fields.name.trim() === '') errors.name = 'required';
  if (fields.password === '') errors.password = 'required';
  return errors;
}
