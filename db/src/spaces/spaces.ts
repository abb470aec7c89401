/** Spaces themselves: create, list, read, edit settings, archive and restore. */
import {
  can,
  createSpaceSchema,
  updateSpaceSchema,
  type Actor,
  type CreateSpaceInput,
  type SpaceKind,
  type SpaceRole,
  type UpdateSpaceInput,
} from '@cope/domain';
import type { Connection } from 'mongoose';
import { recordAudit } from '../accounts/audit.js';
import { models } from '../models/index.js';
import { rolesOf } from './access.js';
import { publishSpaceAccessChange } from './access-events.js';
import { authorizeSpace } from './authorize.js';
import { memberKeyOf } from './models/membership.js';
import type { SpaceRecord } from './models/space.js';
import { ok, refuse, type SpaceResult } from './result.js';

export interface SpaceView {
  id: string;
  title: string;
  description: string;
  kind: SpaceKind;
  countries: string[];
  languages: string[];
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  /** The asking person's role (null: staff running a space they are not in). */
  role: SpaceRole | null;
}

export function spaceView(space: SpaceRecord, role: SpaceRole | null): SpaceView {
  return {
    id: space._id.toHexString(),
    title: space.title,
    description: space.description,
    kind: space.kind,
    countries: [...space.countries],
    languages: [...space.languages],
    createdAt: space.createdAt,
    updatedAt: space.updatedAt,
    archivedAt: space.archivedAt ?? null,
    role,
  };
}

/**
 * Staff create spaces. The first owner is the person named by `ownerEmail` (an existing staff or member
 * account), or the creator. Staff who name someone else are not members: they can still run the space's
 * settings and membership, but do not see its content.
 */
export async function createSpace(
  conn: Connection,
  actor: Actor,
  input: CreateSpaceInput,
): Promise<SpaceResult<{ id: string }>> {
  if (!can(actor, 'space.create')) return refuse('forbidden');
  const data = createSpaceSchema.parse(input);
  const m = models(conn);
  let ownerId = actor.userId;
  if (data.ownerEmail !== undefined) {
    const owner = await m.User.findOne({ email: data.ownerEmail }, { networkRole: 1, disabled: 1 }).lean();
    if (owner === null) return refuse('unknown-person');
    if (owner.disabled || owner.networkRole === 'affiliate') return refuse('not-eligible');
    ownerId = owner._id.toHexString();
  }
  const now = new Date();
  const space = await m.Space.create({
    title: data.title,
    description: data.description,
    kind: data.kind,
    countries: data.countries,
    languages: data.languages,
    createdBy: actor.userId,
    createdAt: now,
    updatedAt: now,
  });
  const spaceId = space._id.toHexString();
  await m.SpaceMembership.create({
    spaceId: space._id,
    kind: 'user',
    memberKey: memberKeyOf('user', ownerId),
    userId: ownerId,
    role: 'owner',
    addedBy: actor.userId,
    addedAt: now,
  });
  await recordAudit(conn, {
    action: 'space.create',
    actorId: actor.userId,
    subject: { kind: 'space', id: spaceId },
    details: { title: data.title, kind: data.kind, ownerId },
    at: now,
  });
  return ok({ id: spaceId });
}

/** The spaces a person is in (own or organisation membership), most recently changed first. */
export async function listSpacesFor(conn: Connection, userId: string): Promise<SpaceView[]> {
  const roles = await rolesOf(conn, userId);
  if (roles.size === 0) return [];
  const spaces = await models(conn)
    .Space.find({ _id: { $in: [...roles.keys()] } })
    .sort({ updatedAt: -1, _id: -1 })
    .lean<SpaceRecord[]>();
  return spaces.map((s) => spaceView(s, roles.get(s._id.toHexString()) ?? null));
}

/** One space, for its members only: everyone else gets `not-found`, staff included. */
export async function getSpace(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<SpaceView>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.read');
  if (!gate.ok) return gate;
  return ok(spaceView(gate.value.space, gate.value.role));
}

export async function updateSpace(
  conn: Connection,
  actor: Actor,
  spaceId: string,
  input: UpdateSpaceInput,
): Promise<SpaceResult<SpaceView>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.settings.edit', { writes: true });
  if (!gate.ok) return gate;
  const changes = updateSpaceSchema.parse(input);
  const updated = await models(conn)
    .Space.findByIdAndUpdate(
      gate.value.space._id,
      { $set: { ...changes, updatedAt: new Date() } },
      { returnDocument: 'after' },
    )
    .lean<SpaceRecord>();
  if (updated === null) return refuse('not-found');
  await recordAudit(conn, {
    action: 'space.settings.edit',
    actorId: actor.userId,
    subject: { kind: 'space', id: spaceId },
    details: { fields: Object.keys(changes) },
  });
  return ok(spaceView(updated, gate.value.role));
}

/** Owners (and staff) archive a space: read-only for everyone, open connections become read-only. */
export async function archiveSpace(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<SpaceView>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.archive', { writes: true });
  if (!gate.ok) return gate;
  return setArchived(conn, actor, gate.value.space, gate.value.role, true);
}

/** Only staff restore an archived space. */
export async function restoreSpace(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<SpaceView>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.restore');
  if (!gate.ok) return gate;
  return setArchived(conn, actor, gate.value.space, gate.value.role, false);
}

async function setArchived(
  conn: Connection,
  actor: Actor,
  space: SpaceRecord,
  role: SpaceRole | null,
  archived: boolean,
): Promise<SpaceResult<SpaceView>> {
  const now = new Date();
  const updated = await models(conn)
    .Space.findByIdAndUpdate(
      space._id,
      {
        $set: archived
          ? { archivedAt: now, archivedBy: actor.userId }
          : { archivedAt: null, archivedBy: null },
      },
      { returnDocument: 'after' },
    )
    .lean<SpaceRecord>();
  if (updated === null) return refuse('not-found');
  const spaceId = space._id.toHexString();
  await recordAudit(conn, {
    action: archived ? 'space.archive' : 'space.restore',
    actorId: actor.userId,
    subject: { kind: 'space', id: spaceId },
    at: now,
  });
  publishSpaceAccessChange({ spaceId, userIds: 'all' });
  return ok(spaceView(updated, role));
}
