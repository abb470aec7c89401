/** People, organisations and spaces for the spaces tests, written straight through the models. */
import type { Actor, Locale, NetworkRole } from '@cope/domain';
import type { Connection } from 'mongoose';
import { models } from '../../src/models/index';
import { createSpace } from '../../src/spaces/spaces';

let counter = 0;

export interface TestPerson extends Actor {
  email: string;
}

export async function person(
  conn: Connection,
  networkRole: NetworkRole = 'member',
  options: { organisationId?: string; locale?: Locale; name?: string } = {},
): Promise<TestPerson> {
  counter += 1;
  const email = `person${counter}-${Date.now()}@example.org`;
  const user = await models(conn).User.create({
    email,
    name: options.name ?? `Person ${counter}`,
    networkRole,
    locale: options.locale ?? 'en',
    organisationId: options.organisationId ?? null,
  });
  if (options.organisationId !== undefined) {
    await models(conn).Organisation.updateOne(
      { _id: options.organisationId },
      { $push: { contacts: user._id } },
    );
  }
  return { userId: user._id.toHexString(), networkRole, disabled: false, email };
}

export async function organisation(conn: Connection, name = 'Org'): Promise<string> {
  const org = await models(conn).Organisation.create({ name, country: 'FR', category: 'member' });
  return org._id.toHexString();
}

/** A space created by `staff`, with `owner` as its first owner. */
export async function space(
  conn: Connection,
  staff: Actor,
  owner?: TestPerson,
  title = 'A study',
): Promise<string> {
  const created = await createSpace(conn, staff, {
    title,
    kind: 'research-study',
    ownerEmail: owner?.email,
  });
  if (!created.ok) throw new Error(`createSpace refused: ${created.error}`);
  return created.value.id;
}
