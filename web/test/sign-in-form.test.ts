import { describe, expect, it } from 'vitest';
import { parseSignInForm } from '../src/lib/server/sign-in-form';

function form(fields: Record<string, string | Blob>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

describe('parseSignInForm', () => {
  it('accepts an email address and a password, trimming the address', () => {
    expect(parseSignInForm(form({ email: '  ana@example.org ', password: 'x y z' }))).toEqual({
      ok: true,
      email: 'ana@example.org',
    });
  });

  it('asks for both fields when they are missing or blank', () => {
    expect(parseSignInForm(form({ email: '   ' }))).toEqual({
      ok: false,
      email: '',
      errors: { email: 'emailRequired', password: 'passwordRequired' },
    });
  });

  it('refuses a malformed address and keeps it to show back', () => {
    expect(parseSignInForm(form({ email: 'ana@', password: 'p' }))).toEqual({
      ok: false,
      email: 'ana@',
      errors: { email: 'emailInvalid' },
    });
  });

  it('refuses overlong values and never shows back more than the limit', () => {
    const result = parseSignInForm(
      form({ email: `${'a'.repeat(300)}@example.org`, password: 'p'.repeat(1025) }),
    );
    expect(result).toMatchObject({
      ok: false,
      errors: { email: 'emailTooLong', password: 'passwordTooLong' },
    });
    expect(result.email).toHaveLength(254);
  });

  it('treats a file upload in place of text as empty', () => {
    const result = parseSignInForm(form({ email: new Blob(['ana@example.org']), password: 'p' }));
    expect(result).toMatchObject({ ok: false, errors: { email: 'emailRequired' } });
  });

  it('never returns the password', () => {
    const result = parseSignInForm(form({ email: 'ana@example.org', password: 'hunter2-secret' }));
    expect(JSON.stringify(result)).not.toContain('hunter2-secret');
  });
});
