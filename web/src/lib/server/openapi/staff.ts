/**
 * The staff endpoints of `/api/v1` (people's role and status, organisations' category, invitations' resend
 * and revoke, the audit log) and the public affiliate sign-up: the zod schemas the routes validate with, and
 * their OpenAPI description, in one place so they cannot drift apart.
 */
import { z } from 'zod';
import { localeSchema, networkRoleSchema, organisationCategorySchema } from '@cope/domain';
import { errorResponse, jsonOf, schemaRef, sessionSecurity, type OpenApiArea } from './area';

export const roleChangeRequestSchema = z
  .object({ role: networkRoleSchema })
  .strict()
  .meta({ id: 'RoleChangeRequest' });

export const roleChangeResponseSchema = z
  .object({
    person: z.object({ id: z.string(), networkRole: networkRoleSchema }),
    change: z.object({ from: networkRoleSchema, to: networkRoleSchema }),
  })
  .meta({ id: 'RoleChangeResponse' });

export const statusChangeRequestSchema = z
  .object({ disabled: z.boolean() })
  .strict()
  .meta({ id: 'StatusChangeRequest' });

export const statusChangeResponseSchema = z
  .object({
    person: z.object({ id: z.string(), disabled: z.boolean() }),
    /** Sessions ended by disabling (their live sockets are closed too). */
    endedSessions: z.number().int(),
  })
  .meta({ id: 'StatusChangeResponse' });

export const categoryChangeRequestSchema = z
  .object({
    category: organisationCategorySchema,
    /** An applicant's term start (ISO 8601); default now. Ignored for other categories. */
    termStart: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .meta({ id: 'CategoryChangeRequest' });

export const categoryChangeResponseSchema = z
  .object({
    organisation: z.object({
      id: z.string(),
      category: organisationCategorySchema,
      termStart: z.iso.datetime().nullable(),
    }),
    change: z.object({ from: organisationCategorySchema, to: organisationCategorySchema }),
  })
  .meta({ id: 'CategoryChangeResponse' });

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    action: z.string(),
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    subject: z.object({ kind: z.string(), id: z.string() }).nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

export const auditPageSchema = z
  .object({
    events: z.array(auditEventSchema),
    /** Pass as `cursor` for the next, older page; null on the last one. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditPage' });

export const affiliateSignUpRequestSchema = z
  .object({
    name: z.string().max(200),
    email: z.string().max(254),
    password: z.string().max(10_000),
    locale: localeSchema,
  })
  .strict()
  .meta({ id: 'AffiliateSignUpRequest' });

const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
});

const signedInErrors = {
  '401': errorResponse('Not signed in (unauthenticated).'),
  '403': errorResponse('Not staff (forbidden), or another origin (forbidden_origin).'),
};

const query = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export const staffApi: OpenApiArea = {
  schemas: {
    RoleChangeRequest: roleChangeRequestSchema,
    RoleChangeResponse: roleChangeResponseSchema,
    StatusChangeRequest: statusChangeRequestSchema,
    StatusChangeResponse: statusChangeResponseSchema,
    CategoryChangeRequest: categoryChangeRequestSchema,
    CategoryChangeResponse: categoryChangeResponseSchema,
    AuditEvent: auditEventSchema,
    AuditPage: auditPageSchema,
    AffiliateSignUpRequest: affiliateSignUpRequestSchema,
  },
  paths: {
    '/people/{id}/role': {
      patch: {
        summary: "Change a person's network role (staff; audited with before and after)",
        security: sessionSecurity,
        parameters: [idParameter('The person')],
        requestBody: { required: true, content: jsonOf('RoleChangeRequest') },
        responses: {
          '200': { description: 'Changed (or already so).', content: jsonOf('RoleChangeResponse') },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          ...signedInErrors,
          '404': errorResponse('No such person (not_found).'),
          '409': errorResponse('Staff cannot change their own role (self).'),
          '422': errorResponse('The body does not match the schema (invalid_input).'),
        },
      },
    },
    '/people/{id}/status': {
      patch: {
        summary: 'Disable or re-enable an account (staff); disabling ends its sessions and live sockets',
        security: sessionSecurity,
        parameters: [idParameter('The person')],
        requestBody: { required: true, content: jsonOf('StatusChangeRequest') },
        responses: {
          '200': { description: 'Done.', content: jsonOf('StatusChangeResponse') },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          ...signedInErrors,
          '404': errorResponse('No such person (not_found).'),
          '409': errorResponse('Staff cannot disable themselves (self).'),
          '422': errorResponse('The body does not match the schema (invalid_input).'),
        },
      },
    },
    '/organisations/{id}/category': {
      patch: {
        summary: "Change an organisation's membership category (staff; kept in its history)",
        security: sessionSecurity,
        parameters: [idParameter('The organisation')],
        requestBody: { required: true, content: jsonOf('CategoryChangeRequest') },
        responses: {
          '200': { description: 'Changed (or already so).', content: jsonOf('CategoryChangeResponse') },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          ...signedInErrors,
          '404': errorResponse('No such organisation (not_found).'),
          '422': errorResponse('The body does not match the schema (invalid_input).'),
        },
      },
    },
    '/invitations/{id}': {
      delete: {
        summary: 'Revoke a pending invitation (staff): its link stops working at once',
        security: sessionSecurity,
        parameters: [idParameter('The invitation')],
        responses: {
          '200': {
            description: 'Revoked.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { invitation: schemaRef('Invitation') } },
              },
            },
          },
          ...signedInErrors,
          '404': errorResponse('No such invitation (not_found).'),
          '409': errorResponse('Accepted or revoked already (not_pending).'),
        },
      },
    },
    '/invitations/{id}/resend': {
      post: {
        summary: 'Send a new link for a pending or expired invitation (staff); earlier links stop working',
        security: sessionSecurity,
        parameters: [idParameter('The invitation')],
        responses: {
          '200': {
            description: 'Sent (or kept in the outbox).',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { invitation: schemaRef('Invitation') } },
              },
            },
          },
          ...signedInErrors,
          '404': errorResponse('No such invitation (not_found).'),
          '409': errorResponse(
            'Accepted or revoked (not_pending), or the email has an account (email_taken).',
          ),
          '502': errorResponse('The mail could not be sent (mail_failed).'),
        },
      },
    },
    '/audit': {
      get: {
        summary: 'The audit log, newest first, a page at a time (staff)',
        security: sessionSecurity,
        parameters: [
          query('action', 'An action (`user.role.change`) or a prefix (`user.` or `user`).'),
          query('actor', 'Who acted: an email or a user id.'),
          query('subject', 'What it was about: an email, a user or organisation id, an address.'),
          query('from', 'First day (UTC), YYYY-MM-DD.', { type: 'string', format: 'date' }),
          query('to', 'Last day (UTC), YYYY-MM-DD, included.', { type: 'string', format: 'date' }),
          query('cursor', '`nextCursor` of the previous page.'),
          query('limit', 'Events per page, 1 to 200 (default 50).', { type: 'integer' }),
        ],
        responses: {
          '200': { description: 'One page.', content: jsonOf('AuditPage') },
          ...signedInErrors,
          '422': errorResponse('A filter is not valid (invalid_input); details name it.'),
        },
      },
    },
    '/affiliates': {
      post: {
        summary: 'Sign up as an affiliate to receive the news (public, no sign-in)',
        description:
          'The answer is the same whether or not the email has an account: a new address gets a ' +
          'confirmation link (the account cannot sign in before it is used); a registered one gets a ' +
          'mail to its owner and nothing is created. Rate limited per email and per client address.',
        requestBody: { required: true, content: jsonOf('AffiliateSignUpRequest') },
        responses: {
          '202': {
            description: 'Accepted: a mail is on its way to the address.',
            content: {
              'application/json': {
                schema: { type: 'object', properties: { status: { const: 'mail_sent' } } },
              },
            },
          },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          '422': errorResponse('Invalid fields (invalid_input); details name each field and its problem.'),
          '429': {
            ...errorResponse('Too many sign-ups for this email or from this address (rate_limited).'),
            headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds.' } },
          },
        },
      },
    },
  },
};
