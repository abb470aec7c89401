/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the same zod schemas the endpoints validate with.
 * The core endpoints are described here; each larger part of the product adds its own in `openapi/<area>.ts`.
 */
import { z } from 'zod';
import {
  applicationDecisionRequestSchema,
  errorSchema,
  invitationListSchema,
  invitationRequestSchema,
  invitationSchema,
  meResponseSchema,
  sessionRequestSchema,
  userSchema,
} from './api-schemas';
import type { OpenApiArea } from './openapi/area';
import { channelsApi } from './openapi/channels';
import { directoryApi } from './openapi/directory';
import { documentsApi } from './openapi/documents';
import { spacesApi } from './openapi/spaces';
import { staffApi } from './openapi/staff';

const AREAS: readonly OpenApiArea[] = [directoryApi, staffApi, spacesApi, documentsApi, channelsApi];

const SCHEMAS = {
  SessionRequest: sessionRequestSchema,
  User: userSchema,
  MeResponse: meResponseSchema,
  Error: errorSchema,
  InvitationRequest: invitationRequestSchema,
  Invitation: invitationSchema,
  InvitationList: invitationListSchema,
  ApplicationDecisionRequest: applicationDecisionRequestSchema,
};

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const jsonContent = (name: keyof typeof SCHEMAS) => ({ 'application/json': { schema: ref(name) } });
const error = (description: string) => ({ description, content: jsonContent('Error') });

function componentSchemas(): Record<string, unknown> {
  // One registry for all, so shared parts become references instead of copies.
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema, { id });
  for (const area of AREAS) {
    for (const [id, schema] of Object.entries(area.schemas)) registry.add(schema, { id });
  }
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const schemas: Record<string, unknown> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
    schemas[id] = rest;
  }
  return schemas;
}

export function openApiDocument(origin: string, cookieName: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'COPE Workspace API',
      version: '1',
      description:
        'Session-cookie authenticated JSON API. State-changing requests from another Origin are refused ' +
        '(403 forbidden_origin). Every error is { "error": { "code", "message" } }.',
    },
    servers: [{ url: `${origin}/api/v1` }],
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: cookieName },
      },
    },
    paths: {
      '/session': {
        post: {
          summary: 'Sign in',
          requestBody: { required: true, content: jsonContent('SessionRequest') },
          responses: {
            '201': {
              description: 'Signed in; the session cookie is set.',
              content: jsonContent('MeResponse'),
            },
            '400': error('The body is not JSON (invalid_json).'),
            '401': error('Email or password not correct (invalid_credentials).'),
            '422': error('The body does not match the schema (invalid_input).'),
            '429': {
              ...error('Too many failed attempts (too_many_attempts).'),
              headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds.' } },
            },
          },
        },
        delete: {
          summary: 'Sign out',
          security: [{ session: [] }],
          responses: { '204': { description: 'Signed out; the cookie is removed.' } },
        },
      },
      '/me': {
        get: {
          summary: 'The signed-in person',
          security: [{ session: [] }],
          responses: {
            '200': { description: 'The person and their capabilities.', content: jsonContent('MeResponse') },
            '401': error('Not signed in (unauthenticated).'),
          },
        },
      },
      '/invitations': {
        get: {
          summary: 'List invitations (staff)',
          security: [{ session: [] }],
          responses: {
            '200': { description: 'Invitations, newest first.', content: jsonContent('InvitationList') },
            '401': error('Not signed in (unauthenticated).'),
            '403': error('Not staff (forbidden).'),
          },
        },
        post: {
          summary: 'Invite a person (staff)',
          security: [{ session: [] }],
          requestBody: { required: true, content: jsonContent('InvitationRequest') },
          responses: {
            '201': {
              description: 'Invited; the mail was sent or kept in the outbox.',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { invitation: ref('Invitation') } },
                },
              },
            },
            '400': error('The body is not JSON (invalid_json).'),
            '401': error('Not signed in (unauthenticated).'),
            '403': error('Not staff (forbidden).'),
            '404': error('Unknown organisation (not_found).'),
            '409': error('The email has an account or a pending invitation (email_taken, already_invited).'),
            '422': error('The body does not match the schema (invalid_input).'),
            '502': error('Saved, but the mail could not be sent (mail_failed): resend it.'),
          },
        },
      },
      '/applications': {
        post: {
          summary: 'Apply to join the network (public, no sign-in)',
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: [
                    'organisationName',
                    'country',
                    'legalStatus',
                    'contactName',
                    'contactEmail',
                    'contactLocale',
                    'motivation',
                    'referenceName',
                    'referenceContact',
                    'report1',
                    'report2',
                  ],
                  properties: {
                    organisationName: { type: 'string' },
                    country: { type: 'string', description: 'ISO 3166-1 alpha-2' },
                    legalStatus: { type: 'string' },
                    website: { type: 'string' },
                    contactName: { type: 'string' },
                    contactEmail: { type: 'string', format: 'email' },
                    contactLocale: { type: 'string', enum: ['en', 'fr'] },
                    motivation: { type: 'string' },
                    referenceName: { type: 'string' },
                    referenceContact: { type: 'string' },
                    report1: { type: 'string', format: 'binary', description: 'PDF, at most 10 MB' },
                    report2: { type: 'string', format: 'binary', description: 'PDF, at most 10 MB' },
                  },
                },
              },
            },
          },
          responses: {
            '201': { description: 'Stored; the contact is mailed.' },
            '400': error('Not multipart form data (invalid_body).'),
            '422': error(
              'Invalid fields or files (invalid_input); details maps each field to a problem code.',
            ),
            '429': error('Too many applications from this address (rate_limited).'),
            '502': error('Stored, but the mail could not be sent (mail_failed).'),
          },
        },
        get: {
          summary: 'The applications queue (staff): pending first, oldest first',
          security: [{ session: [] }],
          responses: {
            '200': { description: '{ applications: [...] }' },
            '401': error('Not signed in (unauthenticated).'),
            '403': error('Not staff (forbidden).'),
          },
        },
      },
      '/applications/{id}': {
        get: {
          summary: 'One application (staff)',
          security: [{ session: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: '{ application }' },
            '401': error('Not signed in (unauthenticated).'),
            '403': error('Not staff (forbidden).'),
            '404': error('No such application (not_found).'),
          },
        },
      },
      '/applications/{id}/reports/{index}': {
        get: {
          summary: 'Download an annual report (staff), as an attachment',
          security: [{ session: [] }],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'index', in: 'path', required: true, schema: { type: 'integer', enum: [0, 1] } },
          ],
          responses: {
            '200': { description: 'The PDF', content: { 'application/pdf': {} } },
            '401': error('Not signed in (unauthenticated).'),
            '403': error('Not staff (forbidden).'),
            '404': error('No such file (not_found).'),
          },
        },
      },
      '/applications/{id}/decision': {
        post: {
          summary: 'Decide on an application (staff): approve, reject or ask for more information',
          security: [{ session: [] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: jsonContent('ApplicationDecisionRequest') },
          responses: {
            '200': { description: '{ application }; the applicant is mailed.' },
            '401': error('Not signed in (unauthenticated).'),
            '403': error('Not staff (forbidden).'),
            '404': error('No such application (not_found).'),
            '409': error('Already approved or rejected (already_decided).'),
            '422': error('The body does not match the schema (invalid_input).'),
            '502': error('Decided, but a mail could not be sent (mail_failed).'),
          },
        },
      },
      ...Object.assign({}, ...AREAS.map((area) => area.paths)),
      '/openapi.json': {
        get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
  };
}
