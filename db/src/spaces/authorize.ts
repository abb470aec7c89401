/** The one gate of every space service: load the space, find the actor's role, ask `can()`. */
import { can, type Action, type Actor, type SpaceRole } from '@cope/domain';
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';
import { objectIdOrNull, roleIn } from './access.js';
import type { SpaceRecord } from './models/space.js';
import { ok, refuse, type SpaceResult } from './result.js';

export interface AuthorizedSpace {
  space: SpaceRecord;
  /** The actor's own role (null: staff running a space they are not in). */
  role: SpaceRole | null;
}

export interface AuthorizeOptions {
  /** Refuse with `archived` when the space is archived (every write but a restore). */
  writes?: boolean;
}

/**
 * Whether `actor` may do `action` in the space. People who are not in the space learn nothing about it
 * (`not-found`, as for a space that does not exist); members without the capability get `forbidden`.
 */
export async function authorizeSpace(
  conn: Connection,
  actor: Actor,
  spaceId: string,
  action: Action,
  options: AuthorizeOptions = {},
): Promise<SpaceResult<AuthorizedSpace>> {
  const id = objectIdOrNull(spaceId);
  if (id === null) return refuse('not-found');
  const space = await models(conn).Space.findById(id).lean<SpaceRecord>();
  if (space === null) return refuse('not-found');
  const role = await roleIn(conn, actor.userId, id);
  if (!can(actor, action, { spaceRole: role })) return refuse(role === null ? 'not-found' : 'forbidden');
  if (options.writes === true && space.archivedAt !== null) return refuse('archived');
  return ok({ space, role });
}
