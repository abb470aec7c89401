import { z } from 'zod';
import { createNamedVersionSchema, DOCUMENT_VERSION_KINDS } from '@cope/domain';
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
  DocumentVersionList: z.object({ versions: z.array(documentVersion) }),
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
      summary: "A document's versions, newest first (needs read access)",
      security: sessionSecurity,
      parameters: versionParameters.slice(0, 1),
      responses: {
        '200': { description: 'Without content.', content: jsonOf('DocumentVersionList') },
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

/** The documents endpoints of `/api/v1`. */
export const documentsApi: OpenApiArea = {
  schemas: { ...versionsSchemas },
  paths: { ...versionsPaths },
};
