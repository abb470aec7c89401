/**
 * Who may open the space pages. Every decision goes through `can()`; the services check again on each read
 * and write. People outside a space learn nothing about it: they get the same 404 as for a space that does
 * not exist.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { can, type Actor } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import type { SpaceDetails, SpacePermissions } from '../types';

export interface SpacesPerson {
  user: SessionUser;
  actor: Actor;
}

/**
 * A signed-in person who can be in spaces (staff and members): anonymous visitors go to sign-in,
 * affiliates (who are in no space) get a 403 page.
 */
export function requireSpacesPerson(event: Pick<RequestEvent, 'locals' | 'url'>): SpacesPerson {
  const user = event.locals.user;
  if (user === null) {
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  }
  const actor = actorOf(user);
  // Could this person read a space if they were given the least role in it?
  if (actor === null || !can(actor, 'space.read', { spaceRole: 'viewer' })) {
    error(403, { message: 'Forbidden', code: 'forbidden' });
  }
  return { user, actor };
}

export function notFound(): never {
  error(404, { message: 'Not found', code: 'not_found' });
}

/** The space as its member sees it, or the 404 page for anyone else. */
export async function loadSpace(actor: Actor, spaceId: string): Promise<SpaceDetails> {
  const result = await appContext().spaces.getSpace(actor, spaceId);
  // Staff running a space they are not in have no role: its pages (content) are for members only.
  if (!result.ok || result.value.role === null) notFound();
  const space = result.value;
  const role = result.value.role;
  return {
    id: space.id,
    title: space.title,
    description: space.description,
    kind: space.kind,
    countries: space.countries,
    languages: space.languages,
    archived: space.archivedAt !== null,
    role,
  };
}

/** What the person may do here; in an archived space nothing changes but its membership and its archive. */
export function permissionsIn(
  actor: Actor,
  space: Pick<SpaceDetails, 'role' | 'archived'>,
): SpacePermissions {
  const resource = { spaceRole: space.role };
  const writable = !space.archived;
  return {
    createDocuments: writable && can(actor, 'space.document.create', resource),
    editDocuments: writable && can(actor, 'space.document.edit', resource),
    deleteDocuments: writable && can(actor, 'space.document.delete', resource),
    restoreDocuments: writable && can(actor, 'space.document.restore', resource),
    manageMembers: writable && can(actor, 'space.members.manage', resource),
    archive: writable && can(actor, 'space.archive', resource),
    restore: space.archived && can(actor, 'space.restore', resource),
    leave: can(actor, 'space.leave', resource),
  };
}
