import { apiError, forbidden, unauthenticated } from '$lib/server/api';
import { exportDocument } from '$lib/server/documents/export-document';
import { exportFormatSchema } from '$lib/server/documents/export-format';
import { readableDocument } from '$lib/server/documents/document-access';
import type { RequestHandler } from './$types';

/**
 * The document as a file: `?format=md|html|docx`, named after its title. Needs the export capability;
 * someone who may not read the document gets the same 404 as for a document that does not exist.
 */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  if (locals.user === null) return unauthenticated();
  const format = exportFormatSchema.safeParse(url.searchParams.get('format'));
  if (!format.success) {
    return apiError(422, 'invalid_input', 'Choose a format: md, html or docx.', {
      details: [{ path: 'format', message: 'Expected md, html or docx' }],
    });
  }
  const document = await readableDocument(locals.user, params.id);
  if (document === null) return apiError(404, 'not_found', 'No such document.');
  if (!document.canExport) return forbidden();
  const file = await exportDocument(document, format.data, locals.locale);
  return new Response(file.body, { headers: file.headers });
};
