/** A person reads and edits their own directory profile and chooses what of it others see. */
import { can, profileUpdateSchema } from '@cope/domain';
import type { Actor, ExpertiseArea, ProfileUpdateInput } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { recordAudit } from '../accounts/audit.js';
import { models } from '../models/index.js';
import { LISTED_ROLES, PERSON_PROJECTION, visibilityOf, type StoredPerson } from './records.js';
import { invalidInput } from './search.js';
import type { DirectoryResult, OwnProfile } from './types.js';

export interface OwnProfileOptions {
  actor: Actor | null;
}

const forbidden = { ok: false, code: 'forbidden', message: 'Sign in to edit your profile.' } as const;
const notFound = { ok: false, code: 'notFound', message: 'No such account.' } as const;

function toOwnProfile(person: StoredPerson): OwnProfile {
  const profile = person.profile ?? {};
  return {
    id: person._id.toHexString(),
    name: person.name,
    email: person.email,
    inDirectory: (LISTED_ROLES as readonly string[]).includes(person.networkRole),
    jobTitle: profile.jobTitle ?? '',
    country: profile.country ?? null,
    languages: profile.languages ?? [],
    expertise: (profile.expertise ?? []) as ExpertiseArea[],
    bio: profile.bio ?? '',
    phone: profile.phone ?? '',
    website: profile.website ?? '',
    visibility: visibilityOf(person),
  };
}

export async function getOwnProfile(
  conn: Connection,
  options: OwnProfileOptions,
): Promise<DirectoryResult<OwnProfile>> {
  const actor = options.actor;
  if (actor === null || !can(actor, 'account.profile.edit')) return forbidden;
  const person = await models(conn).User.findById(actor.userId, PERSON_PROJECTION).lean<StoredPerson>();
  return person === null ? notFound : { ok: true, value: toOwnProfile(person) };
}

/**
 * Changes any subset of one's own profile and visibility choices. Nothing is written when any field is
 * invalid. Changes of visibility are audited (without the profile's contents, which are the person's own).
 */
export async function updateOwnProfile(
  conn: Connection,
  input: ProfileUpdateInput,
  options: OwnProfileOptions,
): Promise<DirectoryResult<OwnProfile>> {
  const actor = options.actor;
  if (actor === null || !can(actor, 'account.profile.edit')) return forbidden;
  const parsed = profileUpdateSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const { name, visibility, ...fields } = parsed.data;

  const set: Record<string, unknown> = {};
  if (name !== undefined) set.name = name;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    set[`profile.${key}`] = Array.isArray(value) ? [...new Set(value)] : value;
  }
  for (const [key, value] of Object.entries(visibility ?? {})) {
    if (value !== undefined) set[`profileVisibility.${key}`] = value;
  }

  const { User } = models(conn);
  const before = await User.findById(actor.userId, PERSON_PROJECTION).lean<StoredPerson>();
  if (before === null) return notFound;
  if (Object.keys(set).length > 0) {
    await User.updateOne({ _id: new Types.ObjectId(actor.userId) }, { $set: set }, { runValidators: true });
  }
  const after = await User.findById(actor.userId, PERSON_PROJECTION).lean<StoredPerson>();
  if (after === null) return notFound;

  const was = visibilityOf(before);
  const now = visibilityOf(after);
  const changed = (['listed', 'email', 'phone'] as const).filter((k) => was[k] !== now[k]);
  if (changed.length > 0) {
    await recordAudit(conn, {
      action: 'profile.visibility.change',
      actorId: actor.userId,
      subject: { kind: 'user', id: actor.userId },
      details: Object.fromEntries(changed.map((k) => [k, now[k]])),
    });
  }
  return { ok: true, value: toOwnProfile(after) };
}
