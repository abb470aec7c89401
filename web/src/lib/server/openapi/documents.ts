import { z } from 'zod';
import { createNamedVersionSchema, DOCUMENT_VERSION_KINDS, VERSION_PAGE } from '@cope/domain';
import { errorResponse, jsonOf, sessionSecurity, type OpenApiArea } from './area';

// Versions of a document (the sync server keeps them): list, name, open, restore.
const documentVersion = z.object({
  id: z.string(),
  kind: z
    .enum(DOCUMENT_VERSION_KINDS)
    .describe('auto: after a pause in editing or hourly; named: saved by someone'),
  name: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  createdBy: z.string().nullable().describe('Who named it (null for automatic versions)'),
  editors: z.array(z.string()).describe('Ids of the people who edited since the previous version'),
});
const versionParameters = [
  { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
  { name: 'versionId', in: 'path', required: true, schema: { type: 'string' } },
];
const versionErrors = {
  '401': errorResponse('Not signed in (unauthenticated).'),
  '404': errorResponse('No such document (or not visible to this person), or no such version (not_found).'),
};
const versionsSchemas = {
  DocumentVersion: documentVersion,
  DocumentVersionList: z.object({
    versions: z.array(documentVersion).describe('Newest first'),
    next: z
      .string()
      .nullable()
      .describe('Pass as `before` for the next (older) page; null when there are no older versions'),
  }),
  DocumentVersionCreate: createNamedVersionSchema,
  DocumentVersionCreated: z.object({ version: documentVersion }),
  DocumentVersionContent: z.object({
    version: documentVersion,
    state: z.string().describe('The version as a full Yjs update, base64: apply it to an empty Y.Doc'),
  }),
  DocumentVersionRestored: z.object({ restored: documentVersion }),
};
const versionsPaths = {
  '/documents/{id}/versions': {
    get: {
      summary: "A page of a document's versions, newest first (needs read access)",
      security: sessionSecurity,
      parameters: [
        ...versionParameters.slice(0, 1),
        {
          name: 'before',
          in: 'query',
          required: false,
          description: 'The `next` of the previous page (opaque); without it, the newest page',
          schema: { type: 'string' },
        },
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: {
            type: 'integer',
            minimum: 1,
            maximum: VERSION_PAGE.maxLimit,
            default: VERSION_PAGE.defaultLimit,
          },
        },
      ],
      responses: {
        '200': { description: 'Without content.', content: jsonOf('DocumentVersionList') },
        '422': errorResponse(
          'A `before` not from a previous page, or a `limit` out of range (invalid_input).',
        ),
        ...versionErrors,
      },
    },
    post: {
      summary: 'Save the document as it is now under a name (needs edit access)',
      security: sessionSecurity,
      parameters: versionParameters.slice(0, 1),
      requestBody: { required: true, content: jsonOf('DocumentVersionCreate') },
      responses: {
        '201': { description: 'Saved.', content: jsonOf('DocumentVersionCreated') },
        '400': errorResponse('The body is not JSON (invalid_json).'),
        '403': errorResponse('Read-only for this person, or the space is archived (forbidden).'),
        '422': errorResponse('The name is missing or longer than 200 characters (invalid_input).'),
        ...versionErrors,
      },
    },
  },
  '/documents/{id}/versions/{versionId}': {
    get: {
      summary: "One version's content, to open it read-only (needs read access)",
      security: sessionSecurity,
      parameters: versionParameters,
      responses: {
        '200': {
          description:
            'JSON with the Yjs update in base64, or the raw update with `Accept: application/octet-stream`.',
          content: {
            ...jsonOf('DocumentVersionContent'),
            'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
          },
        },
        ...versionErrors,
      },
    },
  },
  '/documents/{id}/versions/{versionId}/restore': {
    post: {
      summary:
        'Restore a version as a new change that everyone with the document open receives (needs restore access)',
      security: sessionSecurity,
      parameters: versionParameters,
      responses: {
        '200': { description: 'Restored and stored.', content: jsonOf('DocumentVersionRestored') },
        '403': errorResponse(
          'Read-only for this person, or the space is archived, or the document trashed (forbidden).',
        ),
        ...versionErrors,
      },
    },
  },
};

// Export and import (web/src/lib/server/documents/): Markdown, HTML and DOCX out; Markdown and DOCX in.
const exportImportSchemas = {
  DocumentImported: z.object({ id: z.string(), title: z.string().describe('From the file name') }),
};
const exportImportPaths = {
  '/documents/{id}/export': {
    get: {
      summary: 'The document as a file named after its title (needs read access)',
      security: sessionSecurity,
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        {
          name: 'format',
          in: 'query',
          required: true,
          schema: { type: 'string', enum: ['md', 'html', 'docx'] },
        },
      ],
      responses: {
        '200': {
          description:
            'An attachment (`Content-Disposition` with the title). HTML escapes every text: nothing typed becomes markup.',
          content: {
            'text/markdown': { schema: { type: 'string' } },
            'text/html': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
        '422': errorResponse(
          'No format, or not md, html or docx (invalid_input, like every query that does not validate).',
        ),
        '401': errorResponse('Not signed in (unauthenticated).'),
        '404': errorResponse('No such document, or not visible to this person (not_found).'),
      },
    },
  },
  '/spaces/{id}/documents/import': {
    post: {
      summary: 'Import a Markdown or Word file as a new document at the space root (needs create access)',
      description: 'Send the `Origin` header of the app: multipart POSTs from elsewhere are refused (CSRF).',
      security: sessionSecurity,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              required: ['file'],
              properties: {
                file: {
                  type: 'string',
                  format: 'binary',
                  description: '.md/.markdown/.txt (UTF-8) or .docx, at most 5 MiB; checked by content',
                },
              },
            },
          },
        },
      },
      responses: {
        '201': {
          description: 'Created; open it at /spaces/{id}/documents/{documentId}.',
          content: jsonOf('DocumentImported'),
        },
        '400': errorResponse('Not multipart form data (invalid_body).'),
        '401': errorResponse('Not signed in (unauthenticated).'),
        '403': errorResponse('This person may not create documents here (forbidden).'),
        '404': errorResponse('No such space, or not a member (not_found).'),
        '409': errorResponse('The space is archived (archived).'),
        '413': errorResponse('Over 5 MiB, or the document it makes is too large (too_large).'),
        '415': errorResponse('Not a Markdown or DOCX file name (unsupported_type).'),
        '422': errorResponse(
          'No file (missing), an empty file (empty), or content not of its kind: not UTF-8 text, not a readable DOCX (invalid_content).',
        ),
      },
    },
  },
};

/** The documents endpoints of `/api/v1`. */
export const documentsApi: OpenApiArea = {
  schemas: { ...versionsSchemas, ...exportImportSchemas },
  paths: { ...versionsPaths, ...exportImportPaths },
};
