/**
 * The directory endpoints of `/api/v1`: searching organisations and people, their profiles, staff creating an
 * organisation, and one's own profile. Request bodies are the very schemas the endpoints validate with.
 */
import { z } from 'zod';
import {
  DIRECTORY_MAX_PAGE_SIZE,
  DIRECTORY_ORGANISATION_CATEGORIES,
  DIRECTORY_PAGE_SIZE,
  DIRECTORY_PERSON_CATEGORIES,
  EXPERTISE_AREAS,
  organisationCreateSchema,
  profileUpdateSchema,
  profileVisibilitySchema,
} from '@cope/domain';
import { errorResponse, jsonOf, schemaRef, sessionSecurity, type OpenApiArea } from './area';

const expertise = z.array(z.enum(EXPERTISE_AREAS));

const organisationSummary = z.object({
  id: z.string(),
  name: z.string(),
  country: z.string().describe('ISO 3166-1 alpha-2'),
  category: z.enum(DIRECTORY_ORGANISATION_CATEGORIES),
  languages: z.array(z.string()).describe('ISO 639-1 codes'),
  expertise,
  website: z.string().nullable(),
});

const personSummary = z.object({
  id: z.string(),
  name: z.string(),
  jobTitle: z.string(),
  category: z.enum(DIRECTORY_PERSON_CATEGORIES),
  organisation: z.object({ id: z.string(), name: z.string() }).nullable(),
  country: z.string().nullable(),
  languages: z.array(z.string()),
  expertise,
  email: z
    .string()
    .optional()
    .describe('Only for members who may read contact details, and only if the person shows it'),
  phone: z.string().optional().describe('As email: only when the person shows it'),
});

const personProfile = personSummary.extend({ bio: z.string(), website: z.string().nullable() });

const organisationProfile = organisationSummary.extend({
  description: z.string(),
  termStart: z.string().nullable().describe("Start of an applicant's term (ISO 8601), null for members"),
  contacts: z.array(personSummary),
});

const paging = { total: z.number().int(), page: z.number().int(), pageSize: z.number().int() };

const ownProfile = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  inDirectory: z.boolean().describe('False for affiliates, who are not listed'),
  jobTitle: z.string(),
  country: z.string().nullable(),
  languages: z.array(z.string()),
  expertise,
  bio: z.string(),
  phone: z.string(),
  website: z.string(),
  visibility: profileVisibilitySchema,
});

const schemas = {
  DirectoryOrganisation: organisationSummary,
  DirectoryOrganisationProfile: organisationProfile,
  DirectoryPerson: personSummary,
  DirectoryPersonProfile: personProfile,
  DirectoryOrganisationPage: z.object({ organisations: z.array(organisationSummary), ...paging }),
  DirectoryPersonPage: z.object({ people: z.array(personSummary), ...paging }),
  OwnProfile: ownProfile,
  ProfileUpdate: profileUpdateSchema,
  OrganisationCreate: organisationCreateSchema,
};

const filters = (categories: readonly string[]) => [
  {
    name: 'q',
    in: 'query',
    schema: { type: 'string' },
    description: 'Part of the name; case and accents ignored',
  },
  { name: 'country', in: 'query', schema: { type: 'string' }, description: 'ISO 3166-1 alpha-2' },
  { name: 'language', in: 'query', schema: { type: 'string' }, description: 'ISO 639-1' },
  { name: 'expertise', in: 'query', schema: { type: 'string', enum: [...EXPERTISE_AREAS] } },
  { name: 'category', in: 'query', schema: { type: 'string', enum: [...categories] } },
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
  {
    name: 'pageSize',
    in: 'query',
    schema: { type: 'integer', minimum: 1, maximum: DIRECTORY_MAX_PAGE_SIZE, default: DIRECTORY_PAGE_SIZE },
  },
];

const idParameter = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const signedIn = errorResponse('Not signed in (unauthenticated).');
const notMember = errorResponse('Not a member or staff (forbidden): affiliates have no directory.');

export const directoryApi: OpenApiArea = {
  schemas,
  paths: {
    '/organisations': {
      get: {
        summary:
          'Search member and applicant organisations (members and staff); former members are not listed',
        security: sessionSecurity,
        parameters: filters(DIRECTORY_ORGANISATION_CATEGORIES),
        responses: {
          '200': { description: 'One page, ordered by name.', content: jsonOf('DirectoryOrganisationPage') },
          '401': signedIn,
          '403': notMember,
          '422': errorResponse('A filter is not valid (invalid_input); details name it.'),
        },
      },
      post: {
        summary: 'Create an organisation (staff)',
        security: sessionSecurity,
        requestBody: { required: true, content: jsonOf('OrganisationCreate') },
        responses: {
          '201': {
            description: 'Created.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { organisation: { type: 'object', properties: { id: { type: 'string' } } } },
                },
              },
            },
          },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          '401': signedIn,
          '403': errorResponse('Not staff (forbidden).'),
          '422': errorResponse('The body does not match the schema (invalid_input).'),
        },
      },
    },
    '/organisations/{id}': {
      get: {
        summary: "An organisation's profile with its listed contacts",
        security: sessionSecurity,
        parameters: idParameter,
        responses: {
          '200': {
            description: 'Contact details only as each contact chose to show them.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { organisation: schemaRef('DirectoryOrganisationProfile') },
                },
              },
            },
          },
          '401': signedIn,
          '403': notMember,
          '404': errorResponse('No such organisation in the directory (not_found); former members included.'),
        },
      },
    },
    '/people': {
      get: {
        summary: 'Search listed people: organisation contacts, individual members, staff (members and staff)',
        security: sessionSecurity,
        parameters: filters(DIRECTORY_PERSON_CATEGORIES),
        responses: {
          '200': { description: 'One page, ordered by name.', content: jsonOf('DirectoryPersonPage') },
          '401': signedIn,
          '403': notMember,
          '422': errorResponse('A filter is not valid (invalid_input); details name it.'),
        },
      },
    },
    '/people/{id}': {
      get: {
        summary: "A person's directory profile",
        security: sessionSecurity,
        parameters: idParameter,
        responses: {
          '200': {
            description: 'Contact details only as the person chose to show them.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { person: schemaRef('DirectoryPersonProfile') } },
              },
            },
          },
          '401': signedIn,
          '403': notMember,
          '404': errorResponse(
            'Not in the directory (not_found): unknown, not listed, affiliate or disabled.',
          ),
        },
      },
    },
    '/me/profile': {
      get: {
        summary: 'Your own profile and visibility choices',
        security: sessionSecurity,
        responses: {
          '200': {
            description: 'The profile.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { profile: schemaRef('OwnProfile') } },
              },
            },
          },
          '401': signedIn,
        },
      },
      patch: {
        summary: 'Change any part of your profile and visibility choices',
        security: sessionSecurity,
        requestBody: { required: true, content: jsonOf('ProfileUpdate') },
        responses: {
          '200': {
            description: 'The profile as saved.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { profile: schemaRef('OwnProfile') } },
              },
            },
          },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          '401': signedIn,
          '422': errorResponse('A field is not valid (invalid_input); nothing was changed.'),
        },
      },
    },
  },
};
