import { json } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { openApiDocument } from '$lib/server/openapi';
import type { RequestHandler } from './$types';

let cached: Record<string, unknown> | undefined;

export const GET: RequestHandler = () => {
  const { origin, accounts } = appContext();
  cached ??= openApiDocument(origin, accounts.sessionCookie.name);
  return json(cached);
};
