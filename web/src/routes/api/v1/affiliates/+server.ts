import { json } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { apiError, readJsonBody } from '$lib/server/api';
import { affiliateSignUpRequestSchema } from '$lib/server/openapi/staff';
import type { RequestHandler } from './$types';

/**
 * Public affiliate sign-up. 202 whether or not the email is registered (the service does the same work
 * before answering either way, and the mail goes out after the answer).
 */
export const POST: RequestHandler = async (event) => {
  const body = await readJsonBody(event.request, affiliateSignUpRequestSchema);
  if (!body.ok) return body.response;
  const { origin, staff } = appContext();
  const result = await staff.signUpAffiliate({
    ...body.value,
    address: event.getClientAddress(),
    origin,
  });
  if (!result.ok && result.reason === 'limited') {
    const seconds = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 1000));
    return apiError(429, 'rate_limited', 'Too many sign-ups: try again later.', {
      headers: { 'Retry-After': String(seconds) },
    });
  }
  if (!result.ok) {
    return apiError(422, 'invalid_input', 'Some fields are missing or invalid.', {
      details: Object.entries(result.fields).map(([path, message]) => ({ path, message })),
    });
  }
  return json({ status: 'mail_sent' }, { status: 202 });
};
