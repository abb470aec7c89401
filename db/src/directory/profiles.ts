/** One organisation's or one person's directory page. */
import { can } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import { models } from '../models/index.js';
import { nameCollator } from './names.js';
import {
  isListed,
  LISTED_CATEGORIES,
  LISTED_ROLES,
  PERSON_PROJECTION,
  toOrganisationSummary,
  toPersonProfile,
  toPersonSummary,
  type StoredOrganisation,
  type StoredPerson,
} from './records.js';
import { forbiddenResult, type DirectoryReadOptions } from './search.js';
import type { DirectoryOrganisationProfile, DirectoryPersonProfile, DirectoryResult } from './types.js';
import type { DirectoryOrganisationCategory } from '@cope/domain';

const notFound = { ok: false, code: 'notFound', message: 'Not in the directory.' } as const;

const objectIdOf = (id: string): Types.ObjectId | null =>
  /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null;

export async function getOrganisationProfile(
  conn: Connection,
  id: string,
  options: DirectoryReadOptions,
): Promise<DirectoryResult<DirectoryOrganisationProfile>> {
  if (!can(options.actor, 'directory.read')) return forbiddenResult;
  const _id = objectIdOf(id);
  if (_id === null) return notFound;
  const { Organisation, User } = models(conn);
  const organisation = await Organisation.findById(_id).lean<StoredOrganisation>();
  // Former members are not in the directory, not even by a remembered link.
  if (
    organisation === null ||
    !LISTED_CATEGORIES.includes(organisation.category as DirectoryOrganisationCategory)
  )
    return notFound;
  const contacts = await User.find(
    { organisationId: _id, networkRole: { $in: LISTED_ROLES }, disabled: false },
    PERSON_PROJECTION,
  ).lean<StoredPerson[]>();
  const collator = nameCollator(options.locale ?? 'en');
  return {
    ok: true,
    value: {
      ...toOrganisationSummary(organisation),
      description: organisation.description ?? '',
      termStart: organisation.category === 'applicant' ? (organisation.termStart ?? null) : null,
      contacts: contacts
        .filter((person) => isListed(person, organisation))
        .sort((a, b) => collator.compare(a.name, b.name))
        .map((person) => toPersonSummary(person, organisation, options.actor)),
    },
  };
}

export async function getPersonProfile(
  conn: Connection,
  id: string,
  options: DirectoryReadOptions,
): Promise<DirectoryResult<DirectoryPersonProfile>> {
  if (!can(options.actor, 'directory.read')) return forbiddenResult;
  const _id = objectIdOf(id);
  if (_id === null) return notFound;
  const { Organisation, User } = models(conn);
  const person = await User.findById(_id, PERSON_PROJECTION).lean<StoredPerson>();
  if (person === null) return notFound;
  const organisation = person.organisationId
    ? await Organisation.findById(person.organisationId).lean<StoredOrganisation>()
    : null;
  // Someone who is not listed is not found: the answer must not reveal that they exist.
  if (!isListed(person, organisation)) return notFound;
  return { ok: true, value: toPersonProfile(person, organisation, options.actor) };
}
