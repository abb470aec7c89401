/**
 * The spaces endpoints of `/api/v1`: spaces, their members, their document trees, the trash, and renaming,
 * moving, trashing and restoring a document or folder. Request bodies are the very schemas the endpoints
 * validate with. People outside a space get 404, exactly as for a space that does not exist.
 */
import { z } from 'zod';
import {
  DOCUMENT_NODE_TYPES,
  DOCUMENT_TEMPLATES,
  SPACE_KINDS,
  SPACE_ROLES,
  addMemberSchema,
  changeRoleSchema,
  createDocumentSchema,
  createFolderSchema,
  createSpaceSchema,
  updateDocumentNodeSchema,
  updateSpaceSchema,
} from '@cope/domain';
import { errorResponse, jsonOf, schemaRef, sessionSecurity, type OpenApiArea } from './area';

const isoDate = z.string().describe('ISO 8601 date and time');

const space = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(SPACE_KINDS),
  countries: z.array(z.string()).describe('ISO 3166-1 alpha-2 codes'),
  languages: z.array(z.string()).describe('ISO 639-1 codes of the working languages'),
  createdAt: isoDate,
  updatedAt: isoDate,
  archivedAt: isoDate.nullable().describe('Set while the space is archived (read-only for everyone)'),
  role: z
    .enum(SPACE_ROLES)
    .nullable()
    .describe("The asker's role; null for staff running a space they are not in"),
});

const member = z.object({
  id: z.string().describe('The membership id (used in /members/{memberId})'),
  kind: z.enum(['user', 'organisation']),
  userId: z.string().nullable(),
  organisationId: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable().describe("A person's email; null for organisations"),
  role: z.enum(SPACE_ROLES),
  addedBy: z.string().nullable(),
  addedAt: isoDate,
});

const node = z.object({
  id: z.string(),
  spaceId: z.string(),
  type: z.enum(DOCUMENT_NODE_TYPES),
  title: z.string(),
  template: z.enum(DOCUMENT_TEMPLATES).nullable().describe('Null for folders and imported documents'),
  ownerId: z.string(),
  parentId: z.string().nullable().describe('The folder it is in; null at the root'),
  createdAt: isoDate,
  updatedAt: isoDate,
  lastEditedAt: isoDate.nullable(),
  lastEditedBy: z.string().nullable(),
  trashedAt: isoDate.nullable(),
});

const staffSpace = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(SPACE_KINDS),
  countries: z.array(z.string()).describe('ISO 3166-1 alpha-2 codes'),
  owners: z.array(z.object({ kind: z.enum(['user', 'organisation']), id: z.string(), name: z.string() })),
  createdAt: isoDate,
  archivedAt: isoDate.nullable(),
});

const schemas = {
  StaffSpacePage: z.object({
    spaces: z.array(staffSpace).describe("Metadata and owners only: never a space's documents"),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  }),
  Space: space,
  SpaceCreate: createSpaceSchema,
  SpaceUpdate: updateSpaceSchema,
  SpaceList: z.object({ spaces: z.array(space) }),
  SpaceMember: member,
  SpaceMemberAdd: addMemberSchema,
  SpaceMemberRole: changeRoleSchema,
  DocumentNode: node,
  DocumentTrashItem: node.extend({
    trashedAt: isoDate,
    purgeAt: isoDate.describe('When it is deleted for good'),
  }),
  DocumentDetails: node.extend({
    spaceTitle: z.string(),
    archived: z.boolean(),
    role: z.enum(SPACE_ROLES),
  }),
  DocumentCreate: createDocumentSchema,
  FolderCreate: createFolderSchema,
  DocumentNodeUpdate: updateDocumentNodeSchema,
};

const wrapped = (property: string, schema: string, array = false) => ({
  'application/json': {
    schema: {
      type: 'object',
      properties: { [property]: array ? { type: 'array', items: schemaRef(schema) } : schemaRef(schema) },
      required: [property],
    },
  },
});

const created = (description: string, property: string, schema: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { id: { type: 'string' }, [property]: schemaRef(schema) },
        required: ['id'],
      },
    },
  },
});

const pathId = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const spaceParams = [pathId('id')];
const signedIn = errorResponse('Not signed in (unauthenticated).');
const notFound = errorResponse(
  'No such space (or document, member), or the asker is not in the space (not_found): both look the same.',
);
const notAllowed = errorResponse("The asker's role does not allow this (forbidden).");
const archived = errorResponse('The space is archived (archived): read-only until staff restore it.');
const badBody = {
  '400': errorResponse('The body is not JSON (invalid_json).'),
  '422': errorResponse('The body does not match the schema (invalid_input); details name each problem.'),
};
const noContent = { description: 'Done.' };

export const spacesApi: OpenApiArea = {
  schemas,
  paths: {
    '/admin/spaces': {
      get: {
        summary: 'Every space, member or not (staff): metadata and owners, newest first, 25 a page',
        security: sessionSecurity,
        parameters: [
          { name: 'archived', in: 'query', required: false, schema: { type: 'boolean' } },
          { name: 'q', in: 'query', required: false, schema: { type: 'string', maxLength: 200 } },
          {
            name: 'page',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 10000 },
          },
        ],
        responses: {
          '200': { description: 'One page of spaces.', content: jsonOf('StaffSpacePage') },
          '401': signedIn,
          '403': errorResponse('Not staff (forbidden).'),
          '422': errorResponse('A query parameter is invalid (invalid_input); details name each problem.'),
        },
      },
    },
    '/spaces': {
      get: {
        summary: 'The spaces the signed-in person is in (own or organisation membership)',
        security: sessionSecurity,
        responses: {
          '200': { description: 'Most recently changed first.', content: jsonOf('SpaceList') },
          '401': signedIn,
        },
      },
      post: {
        summary: 'Create a space (staff); the creator, or `ownerEmail`, is its first owner',
        security: sessionSecurity,
        requestBody: { required: true, content: jsonOf('SpaceCreate') },
        responses: {
          '201': {
            description: 'Created.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
              },
            },
          },
          ...badBody,
          '401': signedIn,
          '403': errorResponse('Not staff (forbidden).'),
        },
      },
    },
    '/spaces/{id}': {
      get: {
        summary: 'One space (members only)',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'The space.', content: wrapped('space', 'Space') },
          '401': signedIn,
          '404': notFound,
        },
      },
      patch: {
        summary: 'Change title, description, kind, countries or working languages (owners, staff)',
        security: sessionSecurity,
        parameters: spaceParams,
        requestBody: { required: true, content: jsonOf('SpaceUpdate') },
        responses: {
          '200': { description: 'The changed space.', content: wrapped('space', 'Space') },
          ...badBody,
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': archived,
        },
      },
    },
    '/spaces/{id}/archive': {
      post: {
        summary: 'Archive the space: read-only for everyone (owners, staff)',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'The archived space.', content: wrapped('space', 'Space') },
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse('Already archived (archived).'),
        },
      },
    },
    '/spaces/{id}/restore': {
      post: {
        summary: 'Restore an archived space (staff)',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'The restored space.', content: wrapped('space', 'Space') },
          '401': signedIn,
          '403': errorResponse('Only staff restore spaces (forbidden).'),
          '404': notFound,
        },
      },
    },
    '/spaces/{id}/leave': {
      post: {
        summary: 'Leave the space',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '204': noContent,
          '401': signedIn,
          '404': notFound,
          '409': errorResponse(
            'The last owner cannot leave (last_owner); someone in the space only through their organisation cannot leave alone (organisation_membership).',
          ),
        },
      },
    },
    '/spaces/{id}/members': {
      get: {
        summary: 'The members: people and organisations with their roles',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': {
            description: 'Owners first, then by name.',
            content: wrapped('members', 'SpaceMember', true),
          },
          '401': signedIn,
          '404': notFound,
        },
      },
      post: {
        summary: 'Add a person (by the email of their existing account) or an organisation (owners, staff)',
        description:
          'An email without an account is refused (unknown_person): spaces do not create accounts; staff invite ' +
          'people to the network first. An organisation brings all its contacts, present and future.',
        security: sessionSecurity,
        parameters: spaceParams,
        requestBody: { required: true, content: jsonOf('SpaceMemberAdd') },
        responses: {
          '201': created('Added.', 'member', 'SpaceMember'),
          '400': badBody['400'],
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse('Already a member (already_member), or the space is archived (archived).'),
          '422': errorResponse(
            'Invalid body (invalid_input), no such account (unknown_person) or organisation (unknown_organisation), or an account that cannot be in spaces (not_eligible).',
          ),
        },
      },
    },
    '/spaces/{id}/members/{memberId}': {
      patch: {
        summary: "Change a member's role (owners, staff)",
        security: sessionSecurity,
        parameters: [pathId('id'), pathId('memberId')],
        requestBody: { required: true, content: jsonOf('SpaceMemberRole') },
        responses: {
          '200': {
            description: 'The new role.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    member: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        role: { type: 'string', enum: [...SPACE_ROLES] },
                      },
                    },
                  },
                },
              },
            },
          },
          ...badBody,
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse(
            'The last owner stays an owner (last_owner), or the space is archived (archived).',
          ),
        },
      },
      delete: {
        summary: 'Remove a member (owners, staff); their open documents close at once',
        security: sessionSecurity,
        parameters: [pathId('id'), pathId('memberId')],
        responses: {
          '204': noContent,
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse(
            'The last owner cannot be removed (last_owner), or the space is archived (archived).',
          ),
        },
      },
    },
    '/spaces/{id}/documents': {
      get: {
        summary: "The space's tree (folders and documents, not the trash), as a flat list",
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': {
            description: 'Folders first, then by title.',
            content: wrapped('nodes', 'DocumentNode', true),
          },
          '401': signedIn,
          '404': notFound,
        },
      },
      post: {
        summary: 'Create a document from a template (owners, editors); headings in the asker’s language',
        security: sessionSecurity,
        parameters: spaceParams,
        requestBody: { required: true, content: jsonOf('DocumentCreate') },
        responses: {
          '201': created('Created.', 'document', 'DocumentNode'),
          '400': badBody['400'],
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': archived,
          '422': errorResponse('Invalid body (invalid_input) or folder (invalid_parent).'),
        },
      },
    },
    '/spaces/{id}/folders': {
      post: {
        summary: 'Create a folder (owners, editors)',
        security: sessionSecurity,
        parameters: spaceParams,
        requestBody: { required: true, content: jsonOf('FolderCreate') },
        responses: {
          '201': created('Created.', 'folder', 'DocumentNode'),
          '400': badBody['400'],
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': archived,
          '422': errorResponse('Invalid body (invalid_input) or parent folder (invalid_parent).'),
        },
      },
    },
    '/spaces/{id}/trash': {
      get: {
        summary: "The space's trash: each item is purged 30 days after it was trashed",
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'Newest first.', content: wrapped('trash', 'DocumentTrashItem', true) },
          '401': signedIn,
          '404': notFound,
        },
      },
    },
    '/documents/{id}': {
      get: {
        summary: 'A document with its space and the asker’s role (members of its space)',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'The document.', content: wrapped('document', 'DocumentDetails') },
          '401': signedIn,
          '404': notFound,
        },
      },
      patch: {
        summary: 'Rename and/or move a document or folder within its space (owners, editors)',
        security: sessionSecurity,
        parameters: spaceParams,
        requestBody: { required: true, content: jsonOf('DocumentNodeUpdate') },
        responses: {
          '200': { description: 'The changed node.', content: wrapped('node', 'DocumentNode') },
          '400': badBody['400'],
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse('In the trash (trashed), or the space is archived (archived).'),
          '422': errorResponse(
            'Invalid body (invalid_input), target folder (invalid_parent), or a folder moved under itself (cycle).',
          ),
        },
      },
      delete: {
        summary: 'Move a document or folder (with its contents) to the trash (owners)',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'The trashed node.', content: wrapped('node', 'DocumentNode') },
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse('Already in the trash (trashed), or the space is archived (archived).'),
        },
      },
    },
    '/documents/{id}/restore': {
      post: {
        summary: 'Bring a document or folder back from the trash (owners, editors)',
        security: sessionSecurity,
        parameters: spaceParams,
        responses: {
          '200': { description: 'The restored node.', content: wrapped('node', 'DocumentNode') },
          '401': signedIn,
          '403': notAllowed,
          '404': notFound,
          '409': errorResponse('Not in the trash (not_trashed), or the space is archived (archived).'),
        },
      },
    },
  },
};
