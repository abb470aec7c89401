/**
 * Every space, for staff: the list they use to find a space they are not in (to restore an archived one,
 * say). It carries each space's metadata and its owners only, never its documents: staff read a space's
 * content only through a role in it (see the capability table).
 */
import { can, type Actor, type SpaceKind } from '@cope/domain';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { models } from '../models/index.js';
import type { SpaceMembershipRecord } from './models/membership.js';
import type { SpaceRecord } from './models/space.js';
import { ok, refuse, type SpaceResult } from './result.js';

export const STAFF_SPACE_PAGE_SIZE = 25;

/** `archived`: `true` only archived spaces, `false` only active ones, absent both. */
export const staffSpaceListQuerySchema = z
  .object({
    archived: z.boolean().optional(),
    query: z.string().trim().max(200).optional(),
    page: z.number().int().min(1).max(10_000).default(1),
  })
  .strict();

export type StaffSpaceListQuery = z.input<typeof staffSpaceListQuerySchema>;

export interface StaffSpaceOwner {
  kind: 'user' | 'organisation';
  id: string;
  name: string;
}

export interface StaffSpaceView {
  id: string;
  title: string;
  kind: SpaceKind;
  countries: string[];
  owners: StaffSpaceOwner[];
  createdAt: Date;
  archivedAt: Date | null;
}

export interface StaffSpacePage {
  spaces: StaffSpaceView[];
  total: number;
  page: number;
  pageSize: number;
}

/** Regular-expression metacharacters in a search typed by a person are matched literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * One page of every space, newest first, filtered by archived state and by words of the title.
 * Invalid input throws ZodError; anyone but staff is refused with `forbidden`.
 */
export async function listAllSpaces(
  conn: Connection,
  actor: Actor,
  input: StaffSpaceListQuery = {},
): Promise<SpaceResult<StaffSpacePage>> {
  if (!can(actor, 'admin.spaces.read')) return refuse('forbidden');
  const q = staffSpaceListQuerySchema.parse(input);
  const filter: Record<string, unknown> = {};
  if (q.archived === true) filter.archivedAt = { $ne: null };
  if (q.archived === false) filter.archivedAt = null;
  if (q.query !== undefined && q.query !== '')
    filter.title = { $regex: escapeRegExp(q.query), $options: 'i' };
  const m = models(conn);
  const [total, spaces] = await Promise.all([
    m.Space.countDocuments(filter),
    m.Space.find(filter, { title: 1, kind: 1, countries: 1, createdAt: 1, archivedAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .skip((q.page - 1) * STAFF_SPACE_PAGE_SIZE)
      .limit(STAFF_SPACE_PAGE_SIZE)
      .lean<SpaceRecord[]>(),
  ]);
  const owners = await ownersOf(
    conn,
    spaces.map((s) => s._id),
  );
  return ok({
    spaces: spaces.map((s) => {
      const id = s._id.toHexString();
      return {
        id,
        title: s.title,
        kind: s.kind,
        countries: [...s.countries],
        owners: owners.get(id) ?? [],
        createdAt: s.createdAt,
        archivedAt: s.archivedAt ?? null,
      };
    }),
    total,
    page: q.page,
    pageSize: STAFF_SPACE_PAGE_SIZE,
  });
}

/** The owners (people and organisations) of each space, sorted by name: one query per collection. */
async function ownersOf(
  conn: Connection,
  spaceIds: SpaceRecord['_id'][],
): Promise<Map<string, StaffSpaceOwner[]>> {
  const byspace = new Map<string, StaffSpaceOwner[]>();
  if (spaceIds.length === 0) return byspace;
  const m = models(conn);
  const memberships = await m.SpaceMembership.find(
    { spaceId: { $in: spaceIds }, role: 'owner' },
    { spaceId: 1, kind: 1, userId: 1, organisationId: 1 },
  ).lean<SpaceMembershipRecord[]>();
  const userIds = memberships.flatMap((x) => (x.userId ? [x.userId] : []));
  const orgIds = memberships.flatMap((x) => (x.organisationId ? [x.organisationId] : []));
  const [users, orgs] = await Promise.all([
    m.User.find({ _id: { $in: userIds } }, { name: 1 }).lean(),
    m.Organisation.find({ _id: { $in: orgIds } }, { name: 1 }).lean(),
  ]);
  const names = new Map<string, string>([
    ...users.map((u): [string, string] => [u._id.toHexString(), u.name]),
    ...orgs.map((o): [string, string] => [o._id.toHexString(), o.name]),
  ]);
  for (const x of memberships) {
    const ref = x.userId ?? x.organisationId;
    if (ref === null || ref === undefined) continue;
    const id = ref.toHexString();
    const owner: StaffSpaceOwner = { kind: x.kind, id, name: names.get(id) ?? '' };
    const list = byspace.get(x.spaceId.toHexString()) ?? [];
    list.push(owner);
    byspace.set(x.spaceId.toHexString(), list);
  }
  for (const list of byspace.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return byspace;
}
