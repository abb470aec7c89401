/**
 * Who holds which role where. A person's role in a space is the highest of their own membership and their
 * organisation's; the capability table (`can()` in @cope/domain) then decides what that role allows.
 */
import { SPACE_ROLES, type SpaceRole } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { models } from '../models/index.js';
import { memberKeyOf } from './models/membership.js';

export interface SpaceAccess {
  spaceId: string;
  role: SpaceRole;
  archived: boolean;
}

export interface DocumentAccess extends SpaceAccess {
  documentId: string;
  trashed: boolean;
}

const OBJECT_ID = /^[0-9a-f]{24}$/i;

/** An ObjectId from an id string, or null for anything that is not one (ids come from URLs and sockets). */
export function objectIdOrNull(id: string): Types.ObjectId | null {
  return typeof id === 'string' && OBJECT_ID.test(id) ? new Types.ObjectId(id) : null;
}

/** The higher of two roles (SPACE_ROLES runs from most to least rights). */
export function higherRole(a: SpaceRole | null, b: SpaceRole): SpaceRole {
  if (a === null) return b;
  return SPACE_ROLES.indexOf(a) <= SPACE_ROLES.indexOf(b) ? a : b;
}

/** The membership keys that reach a person: their own, and their organisation's. */
export async function memberKeysOf(conn: Connection, userId: string): Promise<string[]> {
  const id = objectIdOrNull(userId);
  if (id === null) return [];
  const user = await models(conn).User.findById(id, { organisationId: 1, disabled: 1 }).lean();
  if (user === null || user.disabled) return [];
  const keys = [memberKeyOf('user', id.toHexString())];
  if (user.organisationId) keys.push(memberKeyOf('organisation', user.organisationId.toHexString()));
  return keys;
}

/** The person's role in every space they are in (highest of own and organisation membership). */
export async function rolesOf(conn: Connection, userId: string): Promise<Map<string, SpaceRole>> {
  const keys = await memberKeysOf(conn, userId);
  const roles = new Map<string, SpaceRole>();
  if (keys.length === 0) return roles;
  const memberships = await models(conn)
    .SpaceMembership.find({ memberKey: { $in: keys } }, { spaceId: 1, role: 1 })
    .lean();
  for (const m of memberships) {
    const spaceId = m.spaceId.toHexString();
    roles.set(spaceId, higherRole(roles.get(spaceId) ?? null, m.role));
  }
  return roles;
}

/** The person's role in one space, or null when they are not in it. */
export async function roleIn(
  conn: Connection,
  userId: string,
  spaceId: Types.ObjectId,
): Promise<SpaceRole | null> {
  const keys = await memberKeysOf(conn, userId);
  if (keys.length === 0) return null;
  const memberships = await models(conn)
    .SpaceMembership.find({ spaceId, memberKey: { $in: keys } }, { role: 1 })
    .lean();
  let role: SpaceRole | null = null;
  for (const m of memberships) role = higherRole(role, m.role);
  return role;
}

/** The person's access to a space, or null when the space does not exist or they are not in it. */
export async function spaceAccessOf(
  conn: Connection,
  userId: string,
  spaceId: string,
): Promise<SpaceAccess | null> {
  const id = objectIdOrNull(spaceId);
  if (id === null) return null;
  const space = await models(conn).Space.findById(id, { archivedAt: 1 }).lean();
  if (space === null) return null;
  const role = await roleIn(conn, userId, id);
  if (role === null) return null;
  return { spaceId: id.toHexString(), role, archived: space.archivedAt !== null };
}

/** The person's access to a document (not a folder), or null when it does not exist or they are not in its space. */
export async function documentAccessOf(
  conn: Connection,
  userId: string,
  documentId: string,
): Promise<DocumentAccess | null> {
  const id = objectIdOrNull(documentId);
  if (id === null) return null;
  const node = await models(conn).DocumentNode.findById(id, { spaceId: 1, type: 1, trashedAt: 1 }).lean();
  if (node === null || node.type !== 'document') return null;
  const space = await spaceAccessOf(conn, userId, node.spaceId.toHexString());
  if (space === null) return null;
  return { ...space, documentId: id.toHexString(), trashed: node.trashedAt !== null };
}
