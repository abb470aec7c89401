/**
 * From stored documents to what a viewer may see. This is the one place that applies each person's
 * visibility choices, so search results, profile pages and the API cannot disagree about them.
 */
import { DEFAULT_PROFILE_VISIBILITY, can } from '@cope/domain';
import type {
  Actor,
  DirectoryOrganisationCategory,
  DirectoryPersonCategory,
  ExpertiseArea,
  ProfileVisibility,
} from '@cope/domain';
import type { Types } from 'mongoose';
import type {
  DirectoryOrganisationSummary,
  DirectoryPersonProfile,
  DirectoryPersonSummary,
} from './types.js';

/** The network roles the directory lists: affiliates get news only and are not members. */
export const LISTED_ROLES = ['member', 'staff'] as const;

/** The organisation categories the directory lists (former members are left out). */
export const LISTED_CATEGORIES: readonly DirectoryOrganisationCategory[] = ['member', 'applicant'];

/** A user document as read for the directory (lean; fields written before profiles existed may be absent). */
export interface StoredPerson {
  _id: Types.ObjectId;
  name: string;
  email: string;
  networkRole: string;
  disabled: boolean;
  organisationId?: Types.ObjectId | null;
  profile?: {
    jobTitle?: string | null;
    country?: string | null;
    languages?: string[] | null;
    expertise?: string[] | null;
    bio?: string | null;
    phone?: string | null;
    website?: string | null;
  } | null;
  profileVisibility?: Partial<ProfileVisibility> | null;
}

export interface StoredOrganisation {
  _id: Types.ObjectId;
  name: string;
  country: string;
  category: string;
  languages?: string[] | null;
  expertise?: string[] | null;
  website?: string | null;
  description?: string | null;
  termStart?: Date | null;
}

/** The fields read for a person; never the password hash or anything else the directory does not show. */
export const PERSON_PROJECTION = {
  name: 1,
  email: 1,
  networkRole: 1,
  disabled: 1,
  organisationId: 1,
  profile: 1,
  profileVisibility: 1,
} as const;

export function visibilityOf(person: Pick<StoredPerson, 'profileVisibility'>): ProfileVisibility {
  const stored = person.profileVisibility ?? {};
  return {
    listed: stored.listed ?? DEFAULT_PROFILE_VISIBILITY.listed,
    email: stored.email ?? DEFAULT_PROFILE_VISIBILITY.email,
    phone: stored.phone ?? DEFAULT_PROFILE_VISIBILITY.phone,
  };
}

/** Whether the directory shows this person at all (to anyone but themselves). */
export function isListed(person: StoredPerson, organisation: StoredOrganisation | null): boolean {
  if (person.disabled) return false;
  if (!(LISTED_ROLES as readonly string[]).includes(person.networkRole)) return false;
  if (!visibilityOf(person).listed) return false;
  // The contact of a former member organisation represents an organisation no longer in the network.
  if (
    organisation !== null &&
    !LISTED_CATEGORIES.includes(organisation.category as DirectoryOrganisationCategory)
  )
    return false;
  return true;
}

export function personCategory(
  person: StoredPerson,
  organisation: StoredOrganisation | null,
): DirectoryPersonCategory {
  if (person.networkRole === 'staff') return 'staff';
  if (organisation !== null && organisation.category === 'applicant') return 'applicant';
  if (organisation !== null) return 'member';
  return 'individual';
}

const nonEmpty = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value === '' ? null : value;

export function toPersonSummary(
  person: StoredPerson,
  organisation: StoredOrganisation | null,
  viewer: Actor | null,
): DirectoryPersonSummary {
  const profile = person.profile ?? {};
  const visibility = visibilityOf(person);
  const summary: DirectoryPersonSummary = {
    id: person._id.toHexString(),
    name: person.name,
    jobTitle: profile.jobTitle ?? '',
    category: personCategory(person, organisation),
    organisation:
      organisation === null ? null : { id: organisation._id.toHexString(), name: organisation.name },
    country: nonEmpty(profile.country),
    languages: profile.languages ?? [],
    expertise: (profile.expertise ?? []) as ExpertiseArea[],
  };
  // Contact details: only to those who may read them, and only what the person chose to show.
  if (can(viewer, 'directory.contacts.read')) {
    if (visibility.email) summary.email = person.email;
    const phone = nonEmpty(profile.phone);
    if (visibility.phone && phone !== null) summary.phone = phone;
  }
  return summary;
}

export function toPersonProfile(
  person: StoredPerson,
  organisation: StoredOrganisation | null,
  viewer: Actor | null,
): DirectoryPersonProfile {
  return {
    ...toPersonSummary(person, organisation, viewer),
    bio: person.profile?.bio ?? '',
    website: nonEmpty(person.profile?.website),
  };
}

export function toOrganisationSummary(organisation: StoredOrganisation): DirectoryOrganisationSummary {
  return {
    id: organisation._id.toHexString(),
    name: organisation.name,
    country: organisation.country,
    category: organisation.category === 'applicant' ? 'applicant' : 'member',
    languages: organisation.languages ?? [],
    expertise: (organisation.expertise ?? []) as ExpertiseArea[],
    website: nonEmpty(organisation.website),
  };
}
