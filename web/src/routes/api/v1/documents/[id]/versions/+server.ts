import { json } from '@sveltejs/kit';
import { createNamedVersionSchema, versionPageQuerySchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { apiError, readJsonBody } from '$lib/server/api';
import { versionsAccess } from './access';
import type { RequestHandler } from './$types';

/**
 * A page of the document's versions, newest first (automatic and named), without their content:
 * `?limit=` (1 to 200, 50 by default) versions older than `?before=` (the previous page's `next`).
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const access = await versionsAccess(locals.user, params.id, 'read');
  if (!access.ok) return access.response;
  const raw = Object.fromEntries(url.searchParams);
  const query = versionPageQuerySchema.safeParse(raw);
  if (!query.success) {
    const details = query.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    return apiError(422, 'invalid_input', 'The query does not match the expected shape.', { details });
  }
  const page = await appContext().documents.listVersions(access.documentId, {
    before: raw.before,
    limit: query.data.limit,
  });
  return json(page);
};

/** Saves the document as it is now under a name. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const access = await versionsAccess(locals.user, params.id, 'edit');
  if (!access.ok) return access.response;
  const body = await readJsonBody(request, createNamedVersionSchema);
  if (!body.ok) return body.response;
  const version = await appContext().documents.createNamedVersion(
    access.documentId,
    body.value.name,
    access.user.id,
  );
  return json({ version }, { status: 201 });
};
