/** Staff add an organisation to the network (with its directory fields) through the account service. */
import { can, organisationCreateSchema } from '@cope/domain';
import type { Actor, OrganisationCreateInput } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { createOrganisation } from '../accounts/organisations.js';
import { models } from '../models/index.js';
import { invalidInput } from './search.js';
import type { DirectoryResult } from './types.js';

export async function createDirectoryOrganisation(
  conn: Connection,
  input: OrganisationCreateInput,
  options: { actor: Actor | null },
): Promise<DirectoryResult<{ id: string }>> {
  const actor = options.actor;
  if (actor === null || !can(actor, 'admin.organisations.manage'))
    return { ok: false, code: 'forbidden', message: 'Only staff create organisations.' };
  const parsed = organisationCreateSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { website, description, ...core } = parsed.data;
  const created = await createOrganisation(conn, core, { actorId: actor.userId });
  if (!created.ok) return { ok: false, code: 'invalidInput', message: created.message };
  // createOrganisation knows the fields every creation has; the directory's own fields are set after it.
  if (website !== '' || description !== '') {
    await models(conn).Organisation.updateOne(
      { _id: new Types.ObjectId(created.value.id) },
      { $set: { website: website === '' ? null : website, description } },
    );
  }
  return { ok: true, value: created.value };
}
