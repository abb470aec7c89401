/** What the directory shows: the shapes its services return to pages and the API. */
import type {
  DirectoryOrganisationCategory,
  DirectoryPersonCategory,
  ExpertiseArea,
  ProfileVisibility,
} from '@cope/domain';

export interface DirectoryOrganisationSummary {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  category: DirectoryOrganisationCategory;
  languages: string[];
  expertise: ExpertiseArea[];
  website: string | null;
}

export interface DirectoryOrganisationProfile extends DirectoryOrganisationSummary {
  description: string;
  /** When an applicant's term started; null for members. */
  termStart: Date | null;
  /** The organisation's listed contacts, by name. */
  contacts: DirectoryPersonSummary[];
}

/**
 * A person as another member sees them. `email` and `phone` are present only when the viewer may read
 * contact details and the person chose to show them.
 */
export interface DirectoryPersonSummary {
  id: string;
  name: string;
  jobTitle: string;
  category: DirectoryPersonCategory;
  organisation: { id: string; name: string } | null;
  country: string | null;
  languages: string[];
  expertise: ExpertiseArea[];
  email?: string;
  phone?: string;
}

export interface DirectoryPersonProfile extends DirectoryPersonSummary {
  bio: string;
  website: string | null;
}

/** One page of results; `total` counts every match, not just this page. */
export interface DirectoryPage<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** A person's own profile, as they edit it. */
export interface OwnProfile {
  id: string;
  name: string;
  email: string;
  /** Whether the person's role is one the directory lists at all (affiliates are not listed). */
  inDirectory: boolean;
  jobTitle: string;
  country: string | null;
  languages: string[];
  expertise: ExpertiseArea[];
  bio: string;
  phone: string;
  website: string;
  visibility: ProfileVisibility;
}

export type DirectoryErrorCode = 'forbidden' | 'notFound' | 'invalidInput';

export type DirectoryResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: DirectoryErrorCode; message: string; issues?: { path: string; message: string }[] };
