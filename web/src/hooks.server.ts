import { redirect, type Handle, type HandleServerError, type RequestEvent } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { appContext } from '@cope/db/app-context';
import { LOCALE_PARAM, isLocale } from '$lib/i18n';
import { TIME_ZONE_COOKIE, timeZoneOrDefault } from '$lib/i18n/time-zone';
import { apiError } from '$lib/server/api';
import { localeOfRequest, rememberLocale } from '$lib/server/locale';
import { deleteSessionCookie, sessionToken, setSessionCookie } from '$lib/server/session';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The JSON API's CSRF guard: a state-changing request sent by a browser from another site carries
 * that site's `Origin`, and is refused. (SvelteKit checks form posts itself; JSON bodies it lets
 * through.) Requests without `Origin` (scripts, curl) still need the session cookie or nothing.
 */
function foreignOrigin(event: RequestEvent): boolean {
  if (!event.url.pathname.startsWith('/api/') || !UNSAFE_METHODS.has(event.request.method)) return false;
  const origin = event.request.headers.get('origin');
  return origin !== null && origin !== new URL(appContext().origin).origin;
}

/**
 * Who is asking: validates the session cookie, puts the person and session in `locals`, sends the
 * cookie again when the session was renewed, and removes a cookie that no longer works.
 */
const session: Handle = async ({ event, resolve }) => {
  if (foreignOrigin(event)) {
    return apiError(403, 'forbidden_origin', 'Requests from another origin are refused.');
  }
  const token = sessionToken(event.cookies);
  event.locals.user = null;
  event.locals.session = null;
  if (token !== undefined) {
    const result = await appContext().accounts.validateSessionToken(token);
    if (result.session === null) {
      deleteSessionCookie(event.cookies);
    } else {
      event.locals.user = result.user;
      event.locals.session = result.session;
      if (result.renewed) setSessionCookie(event.cookies, token, result.session);
    }
  }
  return resolve(event);
};

/**
 * Chooses the language (and the time zone of dates) of every response. The language switcher's links carry `?lang=xx`, so
 * switching works without JavaScript: remember the choice in a cookie, then redirect to the same
 * address without the parameter so it never lingers in bookmarks or shared links.
 */
const language: Handle = async ({ event, resolve }) => {
  const { url, cookies, request } = event;
  if (url.searchParams.has(LOCALE_PARAM) && (request.method === 'GET' || request.method === 'HEAD')) {
    const requested = url.searchParams.get(LOCALE_PARAM);
    if (isLocale(requested)) rememberLocale(cookies, requested, url);
    const clean = new URL(url);
    clean.searchParams.delete(LOCALE_PARAM);
    // One leading slash only: `//host/…` in Location would send people to another site.
    const pathname = `/${clean.pathname.replace(/^[/\\]+/, '')}`;
    redirect(303, `${pathname}${clean.search}`);
  }

  const locale = localeOfRequest(cookies, request.headers.get('accept-language'));
  event.locals.locale = locale;
  // Dates are rendered in the reader's zone, which the browser leaves in a cookie (see local-time.svelte.ts).
  event.locals.timeZone = timeZoneOrDefault(cookies.get(TIME_ZONE_COOKIE));

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', locale),
  });
  // Pages differ by language, so shared caches must key on what chose it.
  response.headers.set('Content-Language', locale);
  response.headers.append('Vary', 'Accept-Language, Cookie');
  return response;
};

export const handle = sequence(language, session);

/**
 * Unexpected errors: logged in full on the server, shown to people only as a localized message
 * with a reference they can quote, never with internals.
 */
export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status === 404) return { message: 'Not Found', code: 'not_found' };
  const reference = crypto.randomUUID().slice(0, 8);
  console.error(`[web] error ${reference} on ${event.request.method} ${event.url.pathname}`, error);
  return { message: 'Internal Error', code: reference };
};
