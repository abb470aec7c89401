/**
 * Who is behind an HTTP request or upgrade: the session cookie of the `Cookie` header, validated against
 * the database. Shared by socket.io's handshake and the sync endpoint's upgrade.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { sessionCookieSpec, validateSessionToken, type DbHandle, type SessionUser } from '@cope/db';
import { sessionEndOf } from './session-expiry.js';

export interface Principal {
  user: SessionUser;
  sessionId: string;
  /** When the session ends as read at authentication (ms since the epoch): live connections close then. */
  sessionEndsAt: number;
}

/** Resolves the principal of a request's headers, or null when there is no valid session. */
export type Authenticator = (headers: IncomingHttpHeaders) => Promise<Principal | null>;

/** The value of cookie `name` in a `Cookie` header, or undefined; never throws on malformed input. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * An authenticator on the process's connection. `origin` is read per call: the cookie's name depends on
 * it (`__Host-` prefix over https), and tests learn their origin only after listening.
 */
export function sessionAuthenticator(db: DbHandle, origin: () => string): Authenticator {
  return async (headers) => {
    const token = readCookie(headers.cookie, sessionCookieSpec(origin()).name);
    if (token === undefined) return null;
    const result = await validateSessionToken(db.connection, token);
    if (result.session === null) return null;
    return { user: result.user, sessionId: result.session.id, sessionEndsAt: sessionEndOf(result.session) };
  };
}

/** True when a revocation `{ userId, sessionIds }` ends this principal's session. */
export function isRevoked(
  principal: { userId: string; sessionId: string },
  revocation: { userId: string; sessionIds: readonly string[] | 'all' },
): boolean {
  if (principal.userId !== revocation.userId) return false;
  return revocation.sessionIds === 'all' || revocation.sessionIds.includes(principal.sessionId);
}
