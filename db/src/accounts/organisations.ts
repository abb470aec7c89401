/**
 * Creating an organisation (the CLI's `org:create`, later the staff pages and application approval): input
 * validated, the creation audited, a result instead of an exception for bad input.
 */
import type { Connection } from 'mongoose';
import { z } from 'zod';
import {
  countryCodeSchema,
  expertiseAreaSchema,
  languageCodeSchema,
  nameSchema,
  organisationCategorySchema,
} from '@cope/domain';
import { models } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { ChangeContext } from './users.js';

export const newOrganisationSchema = z.object({
  name: nameSchema,
  country: countryCodeSchema,
  languages: z.array(languageCodeSchema).max(50).default([]),
  expertise: z.array(expertiseAreaSchema).max(50).default([]),
  category: organisationCategorySchema.default('member'),
});

export type NewOrganisation = z.input<typeof newOrganisationSchema>;

export type OrganisationResult =
  { ok: true; value: { id: string } } | { ok: false; code: 'invalidInput'; message: string };

export async function createOrganisation(
  conn: Connection,
  input: NewOrganisation,
  ctx: ChangeContext,
): Promise<OrganisationResult> {
  const parsed = newOrganisationSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, code: 'invalidInput', message: parsed.error.issues.map((i) => i.message).join('; ') };
  }
  const now = new Date((ctx.clock ?? systemClock)());
  const data = parsed.data;
  const org = await models(conn).Organisation.create({
    ...data,
    languages: [...new Set(data.languages)],
    expertise: [...new Set(data.expertise)],
    // An applicant's term starts when it becomes one.
    termStart: data.category === 'applicant' ? now : null,
    createdAt: now,
  });
  const id = org._id.toHexString();
  const termStart = org.termStart?.toISOString() ?? null;
  await recordAudit(
    conn,
    {
      action: 'organisation.create',
      actorId: ctx.actorId,
      subject: { kind: 'organisation', id },
      details: { name: data.name, country: data.country, category: data.category, termStart },
    },
    ctx.clock ? { clock: ctx.clock } : {},
  );
  return { ok: true, value: { id } };
}
