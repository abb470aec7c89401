/**
 * Password hashing (argon2id, OWASP parameters) and the password policy.
 *
 * Policy (NIST SP 800-63B): 8 to 128 characters, no composition rules, and not one of the most common
 * passwords. The list is the npm package `fxa-common-password-list` (Mozilla, MPL-2.0; used by Firefox
 * Accounts): the 50,000 most common passwords of 8 or more characters from the SecLists "10 million
 * passwords" top-1M list, lower-cased; we compare lower-cased too, so `Password1` is refused like `password1`.
 */
import { hash, verify } from '@node-rs/argon2';
import type { Options } from '@node-rs/argon2';
import { PASSWORD_POLICY } from '@cope/domain';
import commonPasswords from 'fxa-common-password-list';

/**
 * OWASP Password Storage Cheat Sheet, argon2id first option: 19 MiB memory, 2 passes, 1 lane.
 * `algorithm: 2` is Argon2id: the package's `Algorithm` is a const enum, which isolated modules cannot import.
 */
export const ARGON2_OPTIONS = {
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'common';

export type PasswordCheck = { ok: true } | { ok: false; problem: PasswordProblem };

/** Whether a new password may be set. Length counts code points, as the shared schema does. */
export function checkPasswordPolicy(password: string): PasswordCheck {
  const length = [...password].length;
  if (length < PASSWORD_POLICY.minLength) return { ok: false, problem: 'tooShort' };
  if (length > PASSWORD_POLICY.maxLength) return { ok: false, problem: 'tooLong' };
  if (isCommonPassword(password)) return { ok: false, problem: 'common' };
  return { ok: true };
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords.test(password.toLowerCase());
}

/** Normalised to NFC first, so the same passphrase typed on two keyboards gives the same hash. */
function normalise(password: string): string {
  return password.normalize('NFC');
}

export async function hashPassword(password: string): Promise<string> {
  return hash(normalise(password), ARGON2_OPTIONS);
}

/** False, never an exception, for a wrong password or a malformed stored hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalise(password));
  } catch {
    return false;
  }
}

/**
 * A hash of 32 random bytes nobody kept, made with `ARGON2_OPTIONS` (a test checks the parameters match).
 * A constant rather than computed on first use, so the first unknown email costs no more than the next.
 */
export const DUMMY_PASSWORD_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$JvJMTELoifW0hYDMffDVVA$jcHS27/OYmYtx0i7Xpxw7/z1b/8BRTUz9s5Ri6ml0Cs';

/**
 * Spends the same work as `verifyPassword` and returns false: used when the email is unknown (or has no
 * password yet), so that the answer's timing does not tell whether an account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_PASSWORD_HASH, password);
  return false;
}
