/**
 * When a person joins or leaves an organisation, their access to that organisation's spaces changes with
 * it. Whoever changes a person's organisation calls this, so open connections are re-checked.
 */
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';
import { objectIdOrNull } from './access.js';
import { publishSpaceAccessChange } from './access-events.js';
import { memberKeyOf } from './models/membership.js';

/** Announces an access change for the person in every space the organisation is a member of. */
export async function publishOrganisationContactChange(
  conn: Connection,
  organisationId: string,
  userId: string,
): Promise<void> {
  const id = objectIdOrNull(organisationId);
  if (id === null) return;
  const memberships = await models(conn)
    .SpaceMembership.find({ memberKey: memberKeyOf('organisation', id.toHexString()) }, { spaceId: 1 })
    .lean();
  for (const m of memberships)
    publishSpaceAccessChange({ spaceId: m.spaceId.toHexString(), userIds: [userId] });
}
