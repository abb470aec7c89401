import type { Cookies } from '@sveltejs/kit';
import type { Session } from '@cope/db';
import { appContext } from '@cope/db/app-context';

/**
 * The session cookie, with the name and attributes the account services chose for the app's origin
 * (`__Host-` and Secure over https). Only the token is stored in it; the session lives in the database.
 */
export function setSessionCookie(cookies: Cookies, token: string, session: Pick<Session, 'expiresAt'>): void {
  const { name, attributes } = appContext().accounts.sessionCookie;
  cookies.set(name, token, { ...attributes, expires: session.expiresAt });
}

export function deleteSessionCookie(cookies: Cookies): void {
  const { name, attributes } = appContext().accounts.sessionCookie;
  cookies.delete(name, attributes);
}

export function sessionToken(cookies: Cookies): string | undefined {
  return cookies.get(appContext().accounts.sessionCookie.name);
}
