import { createChannelSchema, objectIdSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { z } from 'zod';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, readQuery, respond } from './respond';
import type { RequestHandler } from './$types';

const listQuery = z.object({ spaceId: objectIdSchema.optional() });

/**
 * The channels one may read, with one's unread counts: a space's (`?spaceId=`, its `general` created on
 * first use), or without it the network channels and one's direct conversations.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const query = readQuery(url, listQuery);
  if (!query.ok) return query.response;
  const channels = appContext().channels;
  const result =
    query.value.spaceId === undefined
      ? await channels.listNetworkChannels(who.actor)
      : await channels.listSpaceChannels(who.actor, query.value.spaceId);
  return respond(result, (list) => ({ channels: list }));
};

/** Creates a channel in a space (owners and editors), optionally private to some of its members. */
export const POST: RequestHandler = async ({ locals, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, createChannelSchema);
  if (!body.ok) return body.response;
  const result = await appContext().channels.createChannel(who.actor, body.value);
  return respond(result, (channel) => ({ channel }), 201);
};
