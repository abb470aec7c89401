/**
 * The capability table: the one place that says who may do what. Web pages, the HTTP API and the realtime
 * server all ask `can(actor, action, resource)` and never test roles themselves, so a rule changes here once.
 *
 * Naming: `area.object.verb` (or `area.verb` when the area is the object), lower camel case, from the general to
 * the specific. The first segment is the part of the product a permission belongs to (`admin`, `directory`,
 * `news`, `space`, `channel`…), so related actions sort together, a reader can find every admin capability by
 * its prefix, and audit-log filters can match on it; the verb comes last so that `space.document.read` and
 * `space.document.edit` read as "what, then how". Actions are data (string literals), not methods, so they can
 * travel over the wire and be logged.
 *
 * Two scopes:
 * - `network` actions depend only on the network role (staff / member / affiliate).
 * - `space` actions are about one space: they need the actor's role in that space, passed as the resource
 *   (`{ spaceRole }`). Affiliates never act in spaces, whatever the resource says. Staff may run a space
 *   (settings, membership, moderation) without a role in it, because staff create and administer spaces;
 *   reading or writing a space's content still needs a role in it, so nothing leaks outside the space it
 *   belongs to, not even to staff who were not invited.
 *
 * Anonymous visitors (actor `null`) and disabled accounts can do nothing here: public pages (sign-in, join)
 * do not go through this table.
 */
import { z } from 'zod';
import { NETWORK_ROLES, SPACE_ROLES, networkRoleSchema, spaceRoleSchema } from './roles.js';
import type { NetworkRole, SpaceRole } from './roles.js';

interface NetworkRule {
  readonly scope: 'network';
  /** Network roles that hold the capability. */
  readonly roles: readonly NetworkRole[];
}

interface SpaceRule {
  readonly scope: 'space';
  /** Space roles that hold the capability (the actor must also be staff or member). */
  readonly spaceRoles: readonly SpaceRole[];
  /** Staff hold it in any space, with or without a role there (running a space, not reading its content). */
  readonly staffInAnySpace: boolean;
}

export type CapabilityRule = NetworkRule | SpaceRule;

const ALL_SPACE_ROLES = SPACE_ROLES;
const WRITERS: readonly SpaceRole[] = ['owner', 'editor'];
const DISCUSSANTS: readonly SpaceRole[] = ['owner', 'editor', 'commenter'];

export const CAPABILITIES = {
  // Staff administration of the network.
  'admin.applications.review': { scope: 'network', roles: ['staff'] },
  'admin.members.manage': { scope: 'network', roles: ['staff'] },
  'admin.organisations.manage': { scope: 'network', roles: ['staff'] },
  'admin.invitations.manage': { scope: 'network', roles: ['staff'] },
  'admin.audit.read': { scope: 'network', roles: ['staff'] },
  'admin.outbox.read': { scope: 'network', roles: ['staff'] },
  // Every space's metadata (title, kind, owners, archived), never its content: staff find spaces to restore.
  'admin.spaces.read': { scope: 'network', roles: ['staff'] },

  // One's own account: every signed-in, enabled person.
  'account.profile.edit': { scope: 'network', roles: ['staff', 'member', 'affiliate'] },
  'account.password.change': { scope: 'network', roles: ['staff', 'member', 'affiliate'] },

  // The member directory: members find partners; affiliates are not members.
  'directory.read': { scope: 'network', roles: ['staff', 'member'] },
  'directory.contacts.read': { scope: 'network', roles: ['staff', 'member'] },

  // News and network-wide announcements.
  'news.read': { scope: 'network', roles: ['staff', 'member', 'affiliate'] },
  'news.publish': { scope: 'network', roles: ['staff'] },
  'announcements.read': { scope: 'network', roles: ['staff', 'member'] },
  'announcements.post': { scope: 'network', roles: ['staff'] },

  // Spaces: staff create them; everything else is about one space.
  'space.create': { scope: 'network', roles: ['staff'] },
  'space.read': { scope: 'space', spaceRoles: ALL_SPACE_ROLES, staffInAnySpace: false },
  'space.settings.edit': { scope: 'space', spaceRoles: ['owner'], staffInAnySpace: true },
  'space.members.manage': { scope: 'space', spaceRoles: ['owner'], staffInAnySpace: true },
  'space.archive': { scope: 'space', spaceRoles: ['owner'], staffInAnySpace: true },
  // Owners archive; only staff bring an archived space back.
  'space.restore': { scope: 'space', spaceRoles: [], staffInAnySpace: true },
  // Anyone may leave a space they are in (the services keep its last owner).
  'space.leave': { scope: 'space', spaceRoles: ALL_SPACE_ROLES, staffInAnySpace: false },
  'space.document.read': { scope: 'space', spaceRoles: ALL_SPACE_ROLES, staffInAnySpace: false },
  'space.document.create': { scope: 'space', spaceRoles: WRITERS, staffInAnySpace: false },
  'space.document.edit': { scope: 'space', spaceRoles: WRITERS, staffInAnySpace: false },
  'space.document.comment': { scope: 'space', spaceRoles: DISCUSSANTS, staffInAnySpace: false },
  'space.document.restore': { scope: 'space', spaceRoles: WRITERS, staffInAnySpace: false },
  'space.document.delete': { scope: 'space', spaceRoles: ['owner'], staffInAnySpace: false },
  'space.document.export': { scope: 'space', spaceRoles: ALL_SPACE_ROLES, staffInAnySpace: false },

  // A space's channels.
  'channel.read': { scope: 'space', spaceRoles: ALL_SPACE_ROLES, staffInAnySpace: false },
  'channel.write': { scope: 'space', spaceRoles: DISCUSSANTS, staffInAnySpace: false },
  'channel.moderate': { scope: 'space', spaceRoles: ['owner'], staffInAnySpace: true },
  'channel.create': { scope: 'space', spaceRoles: WRITERS, staffInAnySpace: false },
  // Network-wide channels: `network` is every member's (announcements use the announcements rows), and
  // direct conversations between members; affiliates are not members and take no part.
  'channel.network.read': { scope: 'network', roles: ['staff', 'member'] },
  'channel.network.write': { scope: 'network', roles: ['staff', 'member'] },
  'channel.network.moderate': { scope: 'network', roles: ['staff'] },
  'channel.direct.write': { scope: 'network', roles: ['staff', 'member'] },
} as const satisfies Record<string, CapabilityRule>;

export type Action = keyof typeof CAPABILITIES;
export const ACTIONS = Object.keys(CAPABILITIES) as Action[];
export const actionSchema = z.enum(ACTIONS as [Action, ...Action[]]);

/** Who is asking. `null` is an anonymous visitor. */
export interface Actor {
  readonly userId: string;
  readonly networkRole: NetworkRole;
  readonly disabled: boolean;
}

export const actorSchema = z.object({
  userId: z.string().min(1),
  networkRole: networkRoleSchema,
  disabled: z.boolean(),
});

/** What the action is about. For space actions: the actor's role in that space, or null/absent for none. */
export interface Resource {
  readonly spaceRole?: SpaceRole | null;
}

export const resourceSchema = z.object({ spaceRole: spaceRoleSchema.nullish() });

/** Whether `actor` may do `action` (on `resource`, for space actions). Unknown actions are refused. */
export function can(actor: Actor | null, action: Action, resource?: Resource): boolean {
  if (actor === null || actor.disabled) return false;
  // Callers may pass an action that came over the wire: never trust the type alone.
  if (!Object.hasOwn(CAPABILITIES, action)) return false;
  if (!(NETWORK_ROLES as readonly string[]).includes(actor.networkRole)) return false;
  const rule: CapabilityRule = CAPABILITIES[action];
  if (rule.scope === 'network') return rule.roles.includes(actor.networkRole);
  // Space actions are always about one space: without it there is nothing to decide on.
  if (resource === undefined) return false;
  if (actor.networkRole === 'affiliate') return false;
  if (actor.networkRole === 'staff' && rule.staffInAnySpace) return true;
  const spaceRole = resource.spaceRole;
  return spaceRole !== undefined && spaceRole !== null && rule.spaceRoles.includes(spaceRole);
}

/** Every action the actor holds (network actions only when no resource is given), e.g. for a client's menus. */
export function capabilitiesOf(actor: Actor | null, resource?: Resource): Action[] {
  return ACTIONS.filter((action) => can(actor, action, resource));
}
