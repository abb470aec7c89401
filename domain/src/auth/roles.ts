/**
 * The roles a person can hold. Network roles are held once, on the account; space roles are held per space
 * (spaces come later, the roles are fixed now so that the capability table can name them).
 */
import { z } from 'zod';

/** staff run the network; members (organisation contacts and individuals) collaborate; affiliates get news only. */
export const NETWORK_ROLES = ['staff', 'member', 'affiliate'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];
export const networkRoleSchema = z.enum(NETWORK_ROLES);

/** From most to least rights inside one space. */
export const SPACE_ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type SpaceRole = (typeof SPACE_ROLES)[number];
export const spaceRoleSchema = z.enum(SPACE_ROLES);

/** The interface languages; every message and page exists in each. */
export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];
export const localeSchema = z.enum(LOCALES);

/** An organisation's membership category (see the product brief: applicants are on a 1 to 3 year term). */
export const ORGANISATION_CATEGORIES = ['member', 'applicant', 'former'] as const;
export type OrganisationCategory = (typeof ORGANISATION_CATEGORIES)[number];
export const organisationCategorySchema = z.enum(ORGANISATION_CATEGORIES);
