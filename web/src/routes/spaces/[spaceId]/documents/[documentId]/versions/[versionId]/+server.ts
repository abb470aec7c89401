import { error, type RequestHandler } from '@sveltejs/kit';
import { entityIdSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readableDocument } from '$lib/server/documents/document-access';

/** A past version's content (a full Yjs update) for the read-only viewer of the document page. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const user = locals.user;
  if (user === null) error(401, { message: 'Sign in first.', code: 'unauthenticated' });
  const document = await readableDocument(user, params.documentId ?? '');
  const versionId = entityIdSchema.safeParse(params.versionId);
  if (document === null || document.spaceId !== params.spaceId || !versionId.success) {
    error(404, { message: 'Not found', code: 'not_found' });
  }
  const found = await appContext().documents.versionState(document.id, versionId.data);
  if (found === null) error(404, { message: 'Not found', code: 'not_found' });
  return new Response(new Uint8Array(found.state), {
    headers: {
      'content-type': 'application/octet-stream',
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
};
