/**
 * Server side of the channel pages: who may open them, the channel lists (through the channel services,
 * which check `can()` for every channel) and the people and organisations one can mention or talk to.
 */
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { can, type Actor, type ChannelSummary } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import type { Mentionable } from '../types';

export interface ChannelsPerson {
  user: SessionUser;
  actor: Actor;
}

/** Members and staff (affiliates read the news, not the channels); anonymous visitors go to sign-in. */
export function requireChannelsPerson(event: Pick<RequestEvent, 'locals' | 'url'>): ChannelsPerson {
  const user = event.locals.user;
  if (user === null) {
    redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname + event.url.search)}`);
  }
  const actor = actorOf(user);
  if (actor === null || !can(actor, 'channel.network.read'))
    error(403, { message: 'Forbidden', code: 'forbidden' });
  return { user, actor };
}

export function channelNotFound(): never {
  error(404, { message: 'Not found', code: 'not_found' });
}

export async function spaceChannels(actor: Actor, spaceId: string): Promise<ChannelSummary[]> {
  const result = await appContext().channels.listSpaceChannels(actor, spaceId);
  if (!result.ok) channelNotFound();
  return result.value;
}

export async function networkChannels(actor: Actor): Promise<ChannelSummary[]> {
  const result = await appContext().channels.listNetworkChannels(actor);
  if (!result.ok) channelNotFound();
  return result.value;
}

/** The space's people and organisations (the members one mentions in its channels). */
export async function spaceMentionables(actor: Actor, spaceId: string): Promise<Mentionable[]> {
  const result = await appContext().spaces.listMembers(actor, spaceId);
  if (!result.ok) return [];
  return result.value.flatMap((m): Mentionable[] =>
    m.userId !== null
      ? [{ kind: 'person', id: m.userId, name: m.name }]
      : m.organisationId !== null
        ? [{ kind: 'organisation', id: m.organisationId, name: m.name }]
        : [],
  );
}

/** People and organisations of the directory (one page each: the suggestions filter it as one types). */
export async function networkMentionables(actor: Actor, locale: string): Promise<Mentionable[]> {
  const { directory } = appContext();
  const [people, organisations] = await Promise.all([
    directory.searchPeople({ pageSize: 100 }, { actor, locale }),
    directory.searchOrganisations({ pageSize: 100 }, { actor, locale }),
  ]);
  return [
    ...(people.ok
      ? people.value.items.map((p) => ({ kind: 'person' as const, id: p.id, name: p.name }))
      : []),
    ...(organisations.ok
      ? organisations.value.items.map((o) => ({ kind: 'organisation' as const, id: o.id, name: o.name }))
      : []),
  ];
}
