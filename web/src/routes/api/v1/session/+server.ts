import { json } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { apiError, readJsonBody } from '$lib/server/api';
import { sessionRequestSchema } from '$lib/server/api-schemas';
import { apiUser } from '$lib/server/api-user';
import { deleteSessionCookie, setSessionCookie } from '$lib/server/session';
import type { RequestHandler } from './$types';

/** Sign in: sets the session cookie and answers the person. Every refusal reads the same. */
export const POST: RequestHandler = async (event) => {
  const body = await readJsonBody(event.request, sessionRequestSchema);
  if (!body.ok) return body.response;
  const { accounts } = appContext();
  const result = await accounts.signIn({ ...body.value, address: event.getClientAddress() });
  if (!result.ok) {
    if (result.reason === 'locked') {
      const seconds = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000));
      return apiError(429, 'too_many_attempts', 'Too many failed attempts; try again later.', {
        headers: { 'Retry-After': String(seconds) },
      });
    }
    return apiError(401, 'invalid_credentials', 'The email address or the password is not correct.');
  }
  const validated = await accounts.validateSessionToken(result.token);
  if (validated.user === null) return apiError(401, 'invalid_credentials', 'The account cannot sign in.');
  setSessionCookie(event.cookies, result.token, result.session);
  return json({ user: apiUser(validated.user) }, { status: 201 });
};

/** Sign out: ends this session and removes the cookie. Idempotent. */
export const DELETE: RequestHandler = async ({ locals, cookies }) => {
  if (locals.session !== null) await appContext().accounts.invalidateSession(locals.session.id);
  deleteSessionCookie(cookies);
  return new Response(null, { status: 204 });
};
