/**
 * The session cookie's name and attributes, a pure function of the public origin (`ORIGIN`).
 *
 * Over https the cookie is `Secure` and named with the `__Host-` prefix, which browsers accept only with
 * Secure, Path=/ and no Domain: no subdomain and no plain-http page can set or overwrite it. Over http
 * (local development) neither is possible, so the plain name is used. Always HttpOnly (scripts never see
 * the token) and SameSite=Lax (not sent on cross-site sub-requests; state-changing requests are also
 * origin-checked by the server).
 */
export const SESSION_COOKIE_BASE_NAME = 'cope_session';

export interface SessionCookieAttributes {
  httpOnly: true;
  sameSite: 'lax';
  path: '/';
  secure: boolean;
}

export interface SessionCookieSpec {
  name: string;
  attributes: SessionCookieAttributes;
}

/** Throws on an origin that is not an absolute http(s) URL: a configuration error, found at start-up. */
export function sessionCookieSpec(origin: string): SessionCookieSpec {
  const url = new URL(origin);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`ORIGIN must be an http or https URL, got ${url.protocol}`);
  }
  const secure = url.protocol === 'https:';
  return {
    name: secure ? `__Host-${SESSION_COOKIE_BASE_NAME}` : SESSION_COOKIE_BASE_NAME,
    attributes: { httpOnly: true, sameSite: 'lax', path: '/', secure },
  };
}

function serialize(spec: SessionCookieSpec, value: string, expires: Date, maxAgeSeconds: number): string {
  const parts = [
    `${spec.name}=${value}`,
    'HttpOnly',
    'SameSite=Lax',
    'Path=/',
    `Max-Age=${maxAgeSeconds}`,
    `Expires=${expires.toUTCString()}`,
  ];
  if (spec.attributes.secure) parts.push('Secure');
  return parts.join('; ');
}

/** A `Set-Cookie` value carrying the token until the session's expiry. */
export function serializeSessionCookie(
  origin: string,
  token: string,
  expiresAt: Date,
  now = Date.now(),
): string {
  if (!/^[a-z2-7]+$/.test(token)) throw new TypeError('Not a session token');
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now) / 1000));
  return serialize(sessionCookieSpec(origin), token, expiresAt, maxAge);
}

/** A `Set-Cookie` value that removes the cookie (sign-out, invalid session). */
export function serializeBlankSessionCookie(origin: string): string {
  return serialize(sessionCookieSpec(origin), '', new Date(0), 0);
}
