/**
 * The members of a space: people (by their existing account) and organisations (all their contacts), each
 * with a role. Owners (and staff) manage them; anyone leaves; a space always keeps an owner. Every change is
 * audited and announced on the access bus, so live connections re-check what they may still do.
 */
import {
  addMemberSchema,
  changeRoleSchema,
  type Actor,
  type AddMemberInput,
  type ChangeRoleInput,
  type SpaceRole,
} from '@cope/domain';
import type { Connection, Types } from 'mongoose';
import { recordAudit } from '../accounts/audit.js';
import { models } from '../models/index.js';
import { isDuplicateKeyError } from '../mongo-errors.js';
import { objectIdOrNull } from './access.js';
import { publishSpaceAccessChange } from './access-events.js';
import { authorizeSpace } from './authorize.js';
import { memberKeyOf, type MemberKind, type SpaceMembershipRecord } from './models/membership.js';
import { ok, refuse, type SpaceResult } from './result.js';

export interface MemberView {
  /** The membership's id (what PATCH/DELETE `/members/{memberId}` name). */
  id: string;
  kind: MemberKind;
  userId: string | null;
  organisationId: string | null;
  /** The person's or the organisation's name. */
  name: string;
  /** A person's email; null for organisations. */
  email: string | null;
  role: SpaceRole;
  addedBy: string | null;
  addedAt: Date;
}

/** Everyone in the space, owners first, then by name. Members see each other. */
export async function listMembers(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<MemberView[]>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.read');
  if (!gate.ok) {
    // Staff running a space they are not in still see who is in it, to manage it.
    const manage = await authorizeSpace(conn, actor, spaceId, 'space.members.manage');
    if (!manage.ok) return gate;
  }
  const m = models(conn);
  const id = objectIdOrNull(spaceId);
  const memberships = await m.SpaceMembership.find({ spaceId: id }).lean<SpaceMembershipRecord[]>();
  const userIds = memberships.flatMap((x) => (x.userId ? [x.userId] : []));
  const orgIds = memberships.flatMap((x) => (x.organisationId ? [x.organisationId] : []));
  const [users, orgs] = await Promise.all([
    m.User.find({ _id: { $in: userIds } }, { name: 1, email: 1 }).lean(),
    m.Organisation.find({ _id: { $in: orgIds } }, { name: 1 }).lean(),
  ]);
  const userById = new Map(users.map((u) => [u._id.toHexString(), u]));
  const orgById = new Map(orgs.map((o) => [o._id.toHexString(), o]));
  const views = memberships.map((x): MemberView => {
    const user = x.userId ? userById.get(x.userId.toHexString()) : undefined;
    const org = x.organisationId ? orgById.get(x.organisationId.toHexString()) : undefined;
    return {
      id: x._id.toHexString(),
      kind: x.kind,
      userId: x.userId?.toHexString() ?? null,
      organisationId: x.organisationId?.toHexString() ?? null,
      name: user?.name ?? org?.name ?? '',
      email: user?.email ?? null,
      role: x.role,
      addedBy: x.addedBy?.toHexString() ?? null,
      addedAt: x.addedAt,
    };
  });
  const rank = (r: SpaceRole) => (r === 'owner' ? 0 : 1);
  return ok(views.sort((a, b) => rank(a.role) - rank(b.role) || a.name.localeCompare(b.name)));
}

/**
 * Adds a person by the email of their existing account, or an organisation. An email without an account is
 * refused (`unknown-person`): spaces do not create accounts; staff invite the person to the network first.
 */
export async function addMember(
  conn: Connection,
  actor: Actor,
  spaceId: string,
  input: AddMemberInput,
): Promise<SpaceResult<MemberView>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.members.manage', { writes: true });
  if (!gate.ok) return gate;
  const data = addMemberSchema.parse(input);
  const m = models(conn);
  const space = gate.value.space;
  let kind: MemberKind;
  let subjectId: Types.ObjectId;
  let name: string;
  let email: string | null = null;
  if ('email' in data) {
    const user = await m.User.findOne(
      { email: data.email },
      { name: 1, email: 1, networkRole: 1, disabled: 1 },
    ).lean();
    if (user === null) return refuse('unknown-person');
    if (user.disabled || user.networkRole === 'affiliate') return refuse('not-eligible');
    kind = 'user';
    subjectId = user._id;
    name = user.name;
    email = user.email;
  } else {
    const orgId = objectIdOrNull(data.organisationId);
    const org = orgId === null ? null : await m.Organisation.findById(orgId, { name: 1 }).lean();
    if (org === null) return refuse('unknown-organisation');
    kind = 'organisation';
    subjectId = org._id;
    name = org.name;
  }
  const memberKey = memberKeyOf(kind, subjectId.toHexString());
  if ((await m.SpaceMembership.exists({ spaceId: space._id, memberKey })) !== null)
    return refuse('already-member');
  const now = new Date();
  let created;
  try {
    created = await m.SpaceMembership.create({
      spaceId: space._id,
      kind,
      memberKey,
      userId: kind === 'user' ? subjectId : null,
      organisationId: kind === 'organisation' ? subjectId : null,
      role: data.role,
      addedBy: actor.userId,
      addedAt: now,
    });
  } catch (error) {
    // Two owners adding the same person at once: the unique index keeps one.
    if (isDuplicateKeyError(error)) return refuse('already-member');
    throw error;
  }
  await touchSpace(conn, space._id, now);
  await recordAudit(conn, {
    action: 'space.member.add',
    actorId: actor.userId,
    subject: { kind: 'space', id: spaceId },
    details: { member: memberKey, role: data.role },
    at: now,
  });
  publishSpaceAccessChange({ spaceId: space._id.toHexString(), userIds: affected(kind, subjectId) });
  return ok({
    id: created._id.toHexString(),
    kind,
    userId: kind === 'user' ? subjectId.toHexString() : null,
    organisationId: kind === 'organisation' ? subjectId.toHexString() : null,
    name,
    email,
    role: data.role,
    addedBy: actor.userId,
    addedAt: now,
  });
}

export async function changeRole(
  conn: Connection,
  actor: Actor,
  spaceId: string,
  memberId: string,
  input: ChangeRoleInput,
): Promise<SpaceResult<{ id: string; role: SpaceRole }>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.members.manage', { writes: true });
  if (!gate.ok) return gate;
  const { role } = changeRoleSchema.parse(input);
  const membership = await findMembership(conn, gate.value.space._id, memberId);
  if (membership === null) return refuse('not-found');
  if (membership.role === 'owner' && role !== 'owner' && !(await hasOtherOwner(conn, membership))) {
    return refuse('last-owner');
  }
  const now = new Date();
  await models(conn).SpaceMembership.updateOne({ _id: membership._id }, { $set: { role } });
  await touchSpace(conn, membership.spaceId, now);
  await recordAudit(conn, {
    action: 'space.member.role.change',
    actorId: actor.userId,
    subject: { kind: 'space', id: spaceId },
    details: { member: membership.memberKey, from: membership.role, to: role },
    at: now,
  });
  publishSpaceAccessChange({ spaceId: membership.spaceId.toHexString(), userIds: affectedBy(membership) });
  return ok({ id: membership._id.toHexString(), role });
}

export async function removeMember(
  conn: Connection,
  actor: Actor,
  spaceId: string,
  memberId: string,
): Promise<SpaceResult<{ id: string }>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.members.manage', { writes: true });
  if (!gate.ok) return gate;
  const membership = await findMembership(conn, gate.value.space._id, memberId);
  if (membership === null) return refuse('not-found');
  return deleteMembership(conn, actor, membership, 'space.member.remove');
}

/**
 * The actor leaves: their own membership goes. Someone who is in the space only through their organisation
 * cannot leave alone (`organisation-membership`); the last owner cannot leave (`last-owner`). Leaving is
 * allowed in an archived space: it changes who is in it, not its content.
 */
export async function leaveSpace(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<{ id: string }>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.leave');
  if (!gate.ok) return gate;
  const membership = await models(conn)
    .SpaceMembership.findOne({ spaceId: gate.value.space._id, memberKey: memberKeyOf('user', actor.userId) })
    .lean<SpaceMembershipRecord>();
  if (membership === null) return refuse('organisation-membership');
  return deleteMembership(conn, actor, membership, 'space.member.leave');
}

async function deleteMembership(
  conn: Connection,
  actor: Actor,
  membership: SpaceMembershipRecord,
  action: 'space.member.remove' | 'space.member.leave',
): Promise<SpaceResult<{ id: string }>> {
  if (membership.role === 'owner' && !(await hasOtherOwner(conn, membership))) return refuse('last-owner');
  const now = new Date();
  await models(conn).SpaceMembership.deleteOne({ _id: membership._id });
  await touchSpace(conn, membership.spaceId, now);
  const spaceId = membership.spaceId.toHexString();
  await recordAudit(conn, {
    action,
    actorId: actor.userId,
    subject: { kind: 'space', id: spaceId },
    details: { member: membership.memberKey, role: membership.role },
    at: now,
  });
  publishSpaceAccessChange({ spaceId, userIds: affectedBy(membership) });
  return ok({ id: membership._id.toHexString() });
}

async function findMembership(
  conn: Connection,
  spaceId: Types.ObjectId,
  memberId: string,
): Promise<SpaceMembershipRecord | null> {
  const id = objectIdOrNull(memberId);
  if (id === null) return null;
  return models(conn).SpaceMembership.findOne({ _id: id, spaceId }).lean<SpaceMembershipRecord>();
}

/** Whether another membership of the space is an owner: a space is never left without one. */
async function hasOtherOwner(conn: Connection, membership: SpaceMembershipRecord): Promise<boolean> {
  const other = await models(conn).SpaceMembership.exists({
    spaceId: membership.spaceId,
    role: 'owner',
    _id: { $ne: membership._id },
  });
  return other !== null;
}

async function touchSpace(conn: Connection, spaceId: Types.ObjectId, at: Date): Promise<void> {
  await models(conn).Space.updateOne({ _id: spaceId }, { $set: { updatedAt: at } });
}

/** A person's membership concerns them; an organisation's concerns all its contacts (re-checked by each). */
function affected(kind: MemberKind, id: Types.ObjectId): string[] | 'all' {
  return kind === 'user' ? [id.toHexString()] : 'all';
}

function affectedBy(membership: SpaceMembershipRecord): string[] | 'all' {
  return membership.userId ? [membership.userId.toHexString()] : 'all';
}
