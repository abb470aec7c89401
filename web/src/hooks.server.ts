import { redirect, type Handle, type HandleServerError } from '@sveltejs/kit';
import { LOCALE_PARAM, isLocale } from '$lib/i18n';
import { localeOfRequest, rememberLocale } from '$lib/server/locale';

/**
 * Chooses the language of every response. The language switcher's links carry `?lang=xx`, so
 * switching works without JavaScript: remember the choice in a cookie, then redirect to the same
 * address without the parameter so it never lingers in bookmarks or shared links.
 */
export const handle: Handle = async ({ event, resolve }) => {
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

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', locale),
  });
  // Pages differ by language, so shared caches must key on what chose it.
  response.headers.set('Content-Language', locale);
  response.headers.append('Vary', 'Accept-Language, Cookie');
  return response;
};

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
