import { json } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { noSuchVersion, versionsAccess } from '../../access';
import type { RequestHandler } from './$types';

/**
 * Restores a version: the document's content becomes the version's, as a new change by this person that
 * everyone with the document open receives live. History is kept (nothing is rewound). Answers once stored.
 */
export const POST: RequestHandler = async ({ locals, params }) => {
  const access = await versionsAccess(locals.user, params.id, 'restore');
  if (!access.ok) return access.response;
  const restored = await appContext().documents.restoreVersion(
    access.documentId,
    params.versionId,
    access.user.id,
  );
  if (restored === null) return noSuchVersion();
  return json({ restored });
};
