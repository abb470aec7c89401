/**
 * The staff administration and affiliate services, bound to one connection (and the process's mailer), as
 * the app context's `staff` field hands them to the web app. Callers check `can()` first: these functions
 * trust that the actor in `ctx` may make the change.
 */
import type { Connection } from 'mongoose';
import type { Mailer, MailLogger } from '../mail/mailer.js';
import {
  confirmAffiliateEmail,
  signUpAffiliate,
  type AffiliateConfirmResult,
  type AffiliateSignUpRequest,
  type AffiliateSignUpResult,
} from './affiliates.js';
import { listAuditPage, type AuditFilter, type AuditPage } from './audit.js';
import {
  changeOrganisationCategory,
  getOrganisation,
  listOrganisations,
  organisationNames,
  updateOrganisation,
  type OrganisationAdminResult,
  type OrganisationDetail,
  type OrganisationFilter,
  type OrganisationsPage,
} from './organisation-admin.js';
import { createOrganisation, type NewOrganisation, type OrganisationResult } from './organisations.js';
import {
  findPersonIdByEmail,
  getPerson,
  listPeople,
  withActorNames,
  type HistoryEntry,
  type PeopleFilter,
  type PeoplePage,
  type PersonDetail,
} from './people-admin.js';
import { setNetworkRole, setUserDisabled, type AccountResult, type ChangeContext } from './users.js';
import type { NetworkRole, OrganisationCategory } from '@cope/domain';

export interface StaffServices {
  listPeople(filter?: PeopleFilter): Promise<PeoplePage>;
  getPerson(userId: unknown): Promise<PersonDetail | null>;
  /** A change ends the person's sessions and live sockets: they sign in again with the new role. */
  setNetworkRole(
    userId: unknown,
    role: unknown,
    ctx: ChangeContext,
  ): Promise<AccountResult<{ from: NetworkRole; to: NetworkRole }>>;
  /** Disabling ends every session of the person and closes their live sockets. */
  setUserDisabled(
    userId: unknown,
    disabled: boolean,
    ctx: ChangeContext,
  ): Promise<AccountResult<{ endedSessions: number }>>;
  listOrganisations(filter?: OrganisationFilter): Promise<OrganisationsPage>;
  organisationNames(): Promise<{ id: string; name: string }[]>;
  getOrganisation(organisationId: unknown): Promise<OrganisationDetail | null>;
  createOrganisation(input: NewOrganisation, ctx: ChangeContext): Promise<OrganisationResult>;
  updateOrganisation(
    organisationId: unknown,
    input: unknown,
    ctx: ChangeContext,
  ): Promise<OrganisationAdminResult<{ changed: string[] }>>;
  changeOrganisationCategory(
    organisationId: unknown,
    input: unknown,
    ctx: ChangeContext,
  ): Promise<
    OrganisationAdminResult<{ from: OrganisationCategory; to: OrganisationCategory; termStart: Date | null }>
  >;
  /** One page of the audit log, newest first, with each actor's name. */
  auditPage(filter?: AuditFilter): Promise<{ events: HistoryEntry[]; nextCursor: string | null }>;
  findPersonIdByEmail(email: string): Promise<string | null>;
  /** Public: the same answer whether or not the email has an account. */
  signUpAffiliate(request: AffiliateSignUpRequest): Promise<AffiliateSignUpResult>;
  confirmAffiliateEmail(token: unknown): Promise<AffiliateConfirmResult>;
}

export function staffServices(
  conn: Connection,
  deps: { mailer: Pick<Mailer, 'send'>; logger?: Pick<MailLogger, 'warn'> },
): StaffServices {
  return {
    listPeople: (filter) => listPeople(conn, filter),
    getPerson: (userId) => getPerson(conn, userId),
    setNetworkRole: (userId, role, ctx) => setNetworkRole(conn, userId, role, ctx),
    setUserDisabled: (userId, disabled, ctx) => setUserDisabled(conn, userId, disabled, ctx),
    listOrganisations: (filter) => listOrganisations(conn, filter),
    organisationNames: () => organisationNames(conn),
    getOrganisation: (id) => getOrganisation(conn, id),
    createOrganisation: (input, ctx) => createOrganisation(conn, input, ctx),
    updateOrganisation: (id, input, ctx) => updateOrganisation(conn, id, input, ctx),
    changeOrganisationCategory: (id, input, ctx) => changeOrganisationCategory(conn, id, input, ctx),
    auditPage: async (filter) => {
      const page: AuditPage = await listAuditPage(conn, filter);
      return { events: await withActorNames(conn, page.events), nextCursor: page.nextCursor };
    },
    findPersonIdByEmail: (email) => findPersonIdByEmail(conn, email),
    signUpAffiliate: (request) =>
      signUpAffiliate(conn, request, {
        mailer: deps.mailer,
        ...(deps.logger ? { logger: deps.logger } : {}),
      }),
    confirmAffiliateEmail: (token) => confirmAffiliateEmail(conn, token),
  };
}
