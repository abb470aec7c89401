import { describe, expect, it } from 'vitest';
import {
  serializeBlankSessionCookie,
  serializeSessionCookie,
  sessionCookieSpec,
} from '../../src/accounts/cookie';

describe('sessionCookieSpec', () => {
  it('uses the __Host- prefix and Secure over https', () => {
    expect(sessionCookieSpec('https://workspace.example.org')).toEqual({
      name: '__Host-cope_session',
      attributes: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
    });
  });

  it('uses the plain name without Secure over http (local development)', () => {
    expect(sessionCookieSpec('http://localhost:3000')).toEqual({
      name: 'cope_session',
      attributes: { httpOnly: true, sameSite: 'lax', path: '/', secure: false },
    });
  });

  it('refuses an origin that is not an http(s) URL', () => {
    expect(() => sessionCookieSpec('workspace.example.org')).toThrow();
    expect(() => sessionCookieSpec('ftp://workspace.example.org')).toThrow(/http or https/);
  });
});

describe('Set-Cookie values', () => {
  const token = 'abcdefghijklmnopqrstuvwxyz234567';
  const now = Date.UTC(2026, 0, 1);
  const expires = new Date(now + 30 * 24 * 3600 * 1000);

  it('carries the token with every attribute over https', () => {
    const header = serializeSessionCookie('https://w.example.org', token, expires, now);
    expect(header.split('; ')).toEqual([
      `__Host-cope_session=${token}`,
      'HttpOnly',
      'SameSite=Lax',
      'Path=/',
      `Max-Age=${30 * 24 * 3600}`,
      `Expires=${expires.toUTCString()}`,
      'Secure',
    ]);
    expect(header).not.toMatch(/Domain=/i);
  });

  it('has no Secure over http', () => {
    const header = serializeSessionCookie('http://localhost:3000', token, expires, now);
    expect(header.startsWith(`cope_session=${token}; HttpOnly; SameSite=Lax; Path=/`)).toBe(true);
    expect(header).not.toMatch(/Secure/);
  });

  it('removes the cookie on sign-out', () => {
    const header = serializeBlankSessionCookie('https://w.example.org');
    expect(header).toMatch(/^__Host-cope_session=; /);
    expect(header).toContain('Max-Age=0');
    expect(header).toContain('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  });

  it('refuses to put anything but a token in the cookie', () => {
    expect(() => serializeSessionCookie('https://w.example.org', 'a; Domain=evil', expires, now)).toThrow();
  });
});
