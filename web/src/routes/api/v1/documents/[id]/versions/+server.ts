import { json } from '@sveltejs/kit';
import { createNamedVersionSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { versionsAccess } from './access';
import type { RequestHandler } from './$types';

/** The document's versions, newest first (automatic and named), without their content. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const access = await versionsAccess(locals.user, params.id, 'read');
  if (!access.ok) return access.response;
  return json({ versions: await appContext().documents.listVersions(access.documentId) });
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
