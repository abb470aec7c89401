import { json } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { noSuchVersion, versionsAccess } from '../access';
import type { RequestHandler } from './$types';

/**
 * One version's content, to open it read-only: a full Yjs update (apply it to an empty Y.Doc). As raw bytes
 * when the request accepts `application/octet-stream`, otherwise JSON with the update in base64.
 */
export const GET: RequestHandler = async ({ locals, params, request }) => {
  const access = await versionsAccess(locals.user, params.id, 'read');
  if (!access.ok) return access.response;
  const found = await appContext().documents.versionState(access.documentId, params.versionId);
  if (found === null) return noSuchVersion();
  if ((request.headers.get('accept') ?? '').includes('application/octet-stream')) {
    return new Response(Buffer.from(found.state), {
      headers: {
        'content-type': 'application/octet-stream',
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
      },
    });
  }
  return json({ version: found.version, state: Buffer.from(found.state).toString('base64') });
};
