import { PASSWORD_POLICY } from '@cope/domain';

/** Why a field of a set-password form was refused; each maps to a catalog message. */
export type PasswordFieldError = 'required' | 'tooShort' | 'tooLong' | 'common';
export type NameFieldError = 'required';

export interface PasswordFormErrors {
  name?: NameFieldError;
  password?: PasswordFieldError;
}

export { PASSWORD_POLICY };
