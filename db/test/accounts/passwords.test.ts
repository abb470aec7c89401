import { describe, expect, it } from 'vitest';
import {
  ARGON2_OPTIONS,
  DUMMY_PASSWORD_HASH,
  checkPasswordPolicy,
  hashPassword,
  isCommonPassword,
  verifyAgainstDummy,
  verifyPassword,
} from '../../src/accounts/passwords';

describe('hashPassword / verifyPassword', () => {
  it('hashes with argon2id and the OWASP parameters, salted', async () => {
    const a = await hashPassword('river otter quietly');
    const b = await hashPassword('river otter quietly');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(ARGON2_OPTIONS).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('river otter quietly');
    expect(await verifyPassword(h, 'river otter quietly')).toBe(true);
    expect(await verifyPassword(h, 'river otter quietly ')).toBe(false);
    expect(await verifyPassword(h, 'River otter quietly')).toBe(false);
  });

  it('treats the NFC and NFD spellings of a passphrase as the same', async () => {
    const h = await hashPassword('crème brûlée à minuit'.normalize('NFD'));
    expect(await verifyPassword(h, 'crème brûlée à minuit'.normalize('NFC'))).toBe(true);
  });

  it('answers false, without throwing, for a malformed stored hash', async () => {
    expect(await verifyPassword('not a hash', 'whatever123')).toBe(false);
    expect(await verifyPassword('', 'whatever123')).toBe(false);
  });

  it('keeps the dummy hash made with the current parameters, so it costs what a real one does', () => {
    const { memoryCost, timeCost, parallelism } = ARGON2_OPTIONS;
    expect(
      DUMMY_PASSWORD_HASH.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`),
    ).toBe(true);
  });

  it('spends a verification on unknown accounts and always answers false', async () => {
    expect(await verifyAgainstDummy('river otter quietly')).toBe(false);
    expect(await verifyAgainstDummy('')).toBe(false);
  });
});

describe('checkPasswordPolicy', () => {
  it('refuses passwords shorter than 8 characters and longer than 128', () => {
    expect(checkPasswordPolicy('Xk3#p9!')).toEqual({ ok: false, problem: 'tooShort' });
    expect(checkPasswordPolicy('x'.repeat(129))).toEqual({ ok: false, problem: 'tooLong' });
  });

  it('accepts long passphrases (64 characters and more) with no composition rules', () => {
    const phrase = 'the quiet otter swims along the river bank before the morning tide'; // 67 characters
    expect(phrase.length).toBeGreaterThanOrEqual(64);
    expect(checkPasswordPolicy(phrase)).toEqual({ ok: true });
    expect(checkPasswordPolicy('z'.repeat(7) + 'y'.repeat(121))).toEqual({ ok: true });
    expect(checkPasswordPolicy('lowercase only words')).toEqual({ ok: true });
  });

  it('refuses the most common passwords, whatever their case', () => {
    for (const common of [
      'password',
      'password1',
      '12345678',
      'iloveyou',
      'qwertyuiop',
      'Password1',
      'QWERTY123',
    ]) {
      expect(isCommonPassword(common)).toBe(true);
      expect(checkPasswordPolicy(common)).toEqual({ ok: false, problem: 'common' });
    }
  });

  it('accepts uncommon ones', () => {
    expect(isCommonPassword('otters-hold-hands-while-sleeping')).toBe(false);
  });
});
