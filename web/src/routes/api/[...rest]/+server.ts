import { apiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Unknown API addresses answer in the API's error shape, not with an HTML page. */
const notFound: RequestHandler = () => apiError(404, 'not_found', 'No such endpoint.');

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
