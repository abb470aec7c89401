/**
 * Directory searches. Equality filters (country, language, expertise, category, listed, role) go to the
 * database, where the indexes declared on the models answer them; the remaining candidates are read with a
 * small projection (id and name), matched by name and ordered in the process (see names.ts), and only the
 * requested page is then read in full. The network has hundreds of organisations and people, not millions,
 * so reading every candidate's name is cheap and keeps the order and the total exact.
 */
import { can, organisationSearchSchema, personSearchSchema } from '@cope/domain';
import type { Actor, OrganisationSearchInput, PersonSearchInput } from '@cope/domain';
import { Types, type Connection } from 'mongoose';
import type { z } from 'zod';
import { models } from '../models/index.js';
import { foldName, nameCollator, nameMatches } from './names.js';
import {
  LISTED_CATEGORIES,
  LISTED_ROLES,
  PERSON_PROJECTION,
  toOrganisationSummary,
  toPersonSummary,
  type StoredOrganisation,
  type StoredPerson,
} from './records.js';
import type {
  DirectoryOrganisationSummary,
  DirectoryPage,
  DirectoryPersonSummary,
  DirectoryResult,
} from './types.js';

export interface DirectoryReadOptions {
  /** Who is asking: the directory is for those who hold `directory.read`. */
  actor: Actor | null;
  /** The reader's language, for alphabetical order. */
  locale?: string;
}

type Invalid = Extract<DirectoryResult<never>, { ok: false }>;

export function invalidInput(error: z.ZodError): Invalid {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  return {
    ok: false,
    code: 'invalidInput',
    message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
    issues,
  };
}

export const forbiddenResult: Invalid = {
  ok: false,
  code: 'forbidden',
  message: 'You may not read the directory.',
};

/** Name-matches, orders and pages candidates read with only their id and name. */
function pageOf<T extends { _id: Types.ObjectId; name: string }>(
  candidates: T[],
  query: { q?: string | undefined; page: number; pageSize: number },
  locale: string,
): { ids: Types.ObjectId[]; total: number } {
  const folded = foldName(query.q ?? '');
  const collator = nameCollator(locale);
  const matching = candidates
    .filter((c) => nameMatches(c.name, folded))
    .sort(
      (a, b) => collator.compare(a.name, b.name) || a._id.toHexString().localeCompare(b._id.toHexString()),
    );
  const start = (query.page - 1) * query.pageSize;
  return { ids: matching.slice(start, start + query.pageSize).map((c) => c._id), total: matching.length };
}

/** Re-orders documents read by `$in` into the page's order. */
function inOrder<T extends { _id: Types.ObjectId }>(ids: Types.ObjectId[], docs: T[]): T[] {
  const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
  return ids.map((id) => byId.get(id.toHexString())).filter((d): d is T => d !== undefined);
}

export async function searchOrganisations(
  conn: Connection,
  input: OrganisationSearchInput,
  options: DirectoryReadOptions,
): Promise<DirectoryResult<DirectoryPage<DirectoryOrganisationSummary>>> {
  if (!can(options.actor, 'directory.read')) return forbiddenResult;
  const parsed = organisationSearchSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const query = parsed.data;
  const filter: Record<string, unknown> = {
    category: query.category ?? { $in: LISTED_CATEGORIES },
  };
  if (query.country !== undefined) filter.country = query.country;
  if (query.language !== undefined) filter.languages = query.language;
  if (query.expertise !== undefined) filter.expertise = query.expertise;

  const { Organisation } = models(conn);
  const candidates = await Organisation.find(filter, { name: 1 }).lean<
    { _id: Types.ObjectId; name: string }[]
  >();
  const { ids, total } = pageOf(candidates, query, options.locale ?? 'en');
  const docs =
    ids.length === 0 ? [] : await Organisation.find({ _id: { $in: ids } }).lean<StoredOrganisation[]>();
  return {
    ok: true,
    value: {
      items: inOrder(ids, docs).map(toOrganisationSummary),
      total,
      page: query.page,
      pageSize: query.pageSize,
    },
  };
}

/** Ids of organisations in the given categories (a few hundred at most). */
async function organisationIdsIn(
  conn: Connection,
  categories: ('member' | 'applicant' | 'former')[],
): Promise<Types.ObjectId[]> {
  const docs = await models(conn)
    .Organisation.find({ category: { $in: categories } }, { _id: 1 })
    .lean<{ _id: Types.ObjectId }[]>();
  return docs.map((d) => d._id);
}

export async function searchPeople(
  conn: Connection,
  input: PersonSearchInput,
  options: DirectoryReadOptions,
): Promise<DirectoryResult<DirectoryPage<DirectoryPersonSummary>>> {
  if (!can(options.actor, 'directory.read')) return forbiddenResult;
  const parsed = personSearchSchema.safeParse(input);
  if (!parsed.success) return invalidInput(parsed.error);
  const query = parsed.data;

  const filter: Record<string, unknown> = {
    'profileVisibility.listed': true,
    networkRole: { $in: LISTED_ROLES },
    disabled: false,
  };
  if (query.country !== undefined) filter['profile.country'] = query.country;
  if (query.language !== undefined) filter['profile.languages'] = query.language;
  if (query.expertise !== undefined) filter['profile.expertise'] = query.expertise;
  switch (query.category) {
    case 'staff':
      filter.networkRole = 'staff';
      break;
    case 'individual':
      filter.networkRole = 'member';
      filter.organisationId = null;
      break;
    case 'member':
    case 'applicant':
      filter.networkRole = 'member';
      filter.organisationId = { $in: await organisationIdsIn(conn, [query.category]) };
      break;
    default:
      // Contacts of former member organisations are left out with their organisation.
      filter.organisationId = { $nin: await organisationIdsIn(conn, ['former']) };
  }

  const { User, Organisation } = models(conn);
  const candidates = await User.find(filter, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>();
  const { ids, total } = pageOf(candidates, query, options.locale ?? 'en');
  const people =
    ids.length === 0
      ? []
      : inOrder(ids, await User.find({ _id: { $in: ids } }, PERSON_PROJECTION).lean<StoredPerson[]>());
  const organisationIds = [
    ...new Set(people.flatMap((p) => (p.organisationId ? [p.organisationId.toHexString()] : []))),
  ];
  const organisations =
    organisationIds.length === 0
      ? []
      : await Organisation.find({ _id: { $in: organisationIds.map((id) => new Types.ObjectId(id)) } }).lean<
          StoredOrganisation[]
        >();
  const byId = new Map(organisations.map((o) => [o._id.toHexString(), o]));
  return {
    ok: true,
    value: {
      items: people.map((p) =>
        toPersonSummary(
          p,
          p.organisationId ? (byId.get(p.organisationId.toHexString()) ?? null) : null,
          options.actor,
        ),
      ),
      total,
      page: query.page,
      pageSize: query.pageSize,
    },
  };
}
