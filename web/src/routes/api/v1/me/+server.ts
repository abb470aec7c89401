import { json } from '@sveltejs/kit';
import { unauthenticated } from '$lib/server/api';
import { apiUser } from '$lib/server/api-user';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals }) => {
  if (locals.user === null) return unauthenticated();
  return json({ user: apiUser(locals.user) });
};
