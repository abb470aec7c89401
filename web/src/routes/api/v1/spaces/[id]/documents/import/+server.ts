import { json } from '@sveltejs/kit';
import { apiError, unauthenticated } from '$lib/server/api';
import { IMPORT_STATUS, importIntoSpace, type ImportFailure } from '$lib/server/documents/import-into-space';
import type { RequestHandler } from './$types';

const MESSAGES: Record<ImportFailure, string> = {
  missing: 'Send the file in the multipart field `file`.',
  unsupported_type: 'Import a Markdown (.md) or Word (.docx) file.',
  invalid_content: 'The file is not Markdown text or a readable Word document.',
  too_large: 'The file is too large to import.',
  empty: 'The file is empty.',
  not_found: 'No such space.',
  forbidden: 'You may not create documents in this space.',
  archived: 'The space is archived.',
};

/** Imports a Markdown or DOCX file (multipart field `file`) as a new document at the space's root. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  if (locals.user === null) return unauthenticated();
  const form = await request.formData().catch(() => null);
  if (form === null) return apiError(400, 'invalid_body', 'The body is not multipart form data.');
  const outcome = await importIntoSpace(locals.user, params.id, form.get('file'));
  if (!outcome.ok) return apiError(IMPORT_STATUS[outcome.code], outcome.code, MESSAGES[outcome.code]);
  return json({ id: outcome.documentId, title: outcome.title }, { status: 201 });
};
