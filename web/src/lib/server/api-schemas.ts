/**
 * The JSON API's request and response shapes, as zod schemas: the endpoints validate with them and the
 * OpenAPI document is generated from them, so the two cannot drift apart.
 */
import { z } from 'zod';
import {
  ACTIONS,
  emailSchema,
  localeSchema,
  nameSchema,
  networkRoleSchema,
  signInSchema,
} from '@cope/domain';

export const sessionRequestSchema = signInSchema.meta({ id: 'SessionRequest' });

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    networkRole: networkRoleSchema,
    locale: localeSchema,
    organisationId: z.string().nullable(),
    /** Network actions this person may take (for menus; the server checks each request again). */
    capabilities: z.array(z.enum(ACTIONS as [string, ...string[]])),
  })
  .meta({ id: 'User' });

export const meResponseSchema = z.object({ user: userSchema }).meta({ id: 'MeResponse' });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const invitationRequestSchema = z
  .object({
    email: emailSchema,
    name: nameSchema.optional(),
    /** Set: the invitee becomes a contact of this organisation. Absent or null: an individual member. */
    organisationId: z
      .string()
      .regex(/^[0-9a-f]{24}$/i)
      .nullable()
      .optional(),
    locale: localeSchema.default('en'),
  })
  .strict()
  .meta({ id: 'InvitationRequest' });

export const invitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    networkRole: z.literal('member'),
    organisationId: z.string().nullable(),
    locale: localeSchema,
    invitedBy: z.string(),
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    lastSentAt: z.iso.datetime(),
    userId: z.string().nullable(),
  })
  .meta({ id: 'Invitation' });

export const invitationListSchema = z
  .object({ invitations: z.array(invitationSchema) })
  .meta({ id: 'InvitationList' });

/** Staff decide on an application: approve (as member or applicant), reject with a reason, or ask for more. */
export const applicationDecisionRequestSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('approve'), category: z.enum(['member', 'applicant']) }),
    z.object({ kind: z.literal('reject'), reason: z.string().min(1).max(4000) }),
    z.object({ kind: z.literal('more-info'), message: z.string().min(1).max(4000) }),
  ])
  .meta({ id: 'ApplicationDecisionRequest' });
