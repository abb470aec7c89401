import { error, json, type RequestHandler } from '@sveltejs/kit';
import { versionCursorSchema } from '@cope/domain';
import { actorOf } from '$lib/server/actor';
import { readableDocument } from '$lib/server/documents/document-access';
import { versionsForPage } from '$lib/server/documents/versions';

/**
 * The page of versions older than `?before=` (the `next` of the page shown last), with the editors' names,
 * for the document page's "Older versions" button.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  const user = locals.user;
  if (user === null) error(401, { message: 'Sign in first.', code: 'unauthenticated' });
  const actor = actorOf(user);
  const document = await readableDocument(user, params.documentId ?? '');
  if (actor === null || document === null || document.spaceId !== params.spaceId) {
    error(404, { message: 'Not found', code: 'not_found' });
  }
  const before = url.searchParams.get('before') ?? '';
  if (!versionCursorSchema.safeParse(before).success) {
    error(400, { message: 'Not a cursor from a previous page of versions.', code: 'invalid_input' });
  }
  const page = await versionsForPage(actor, document.spaceId, document.id, before);
  return json(page, { headers: { 'cache-control': 'private, no-store' } });
};
