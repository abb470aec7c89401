/**
 * The channels endpoints of `/api/v1`: channel lists with unread counts, channel creation, direct
 * conversations, history pages and search. Live messages, edits, reactions, typing and read markers go over
 * socket.io (the event contract: domain/src/channels/events.ts, docs/channels.md). A channel one may not
 * read answers 404, exactly as one that does not exist.
 */
import {
  channelSummarySchema,
  createChannelSchema,
  historyPageSchema,
  openDirectSchema,
  searchHitSchema,
} from '@cope/domain';
import { z } from 'zod';
import { errorResponse, jsonOf, sessionSecurity, type OpenApiArea } from './area';

const signedIn = errorResponse('Not signed in (unauthenticated).');
const badQuery = errorResponse('A query parameter does not match (invalid_input, with details).');
const notFound = errorResponse('No such channel or space, or not one the asker may read (not_found).');
const objectId = { type: 'string', pattern: '^[0-9a-f]{24}$' };

export const channelsApi: OpenApiArea = {
  schemas: {
    ChannelSummary: channelSummarySchema,
    ChannelList: z.object({ channels: z.array(channelSummarySchema) }),
    ChannelCreate: createChannelSchema,
    ChannelCreated: z.object({ channel: channelSummarySchema }),
    DirectOpen: openDirectSchema,
    HistoryPage: historyPageSchema,
    SearchHits: z.object({ hits: z.array(searchHitSchema) }),
  },
  paths: {
    '/channels': {
      get: {
        summary: "The channels one may read, with one's read position and unread count",
        description:
          "With `spaceId`: the space's channels (its `general` channel is created on first use; private " +
          'channels only for their members). Without: the network channels (`announcements`, `network`) ' +
          "and one's direct conversations.",
        security: sessionSecurity,
        parameters: [{ name: 'spaceId', in: 'query', required: false, schema: objectId }],
        responses: {
          '200': {
            description: 'General first, then by name; direct conversations by latest message.',
            content: jsonOf('ChannelList'),
          },
          '401': signedIn,
          '404': notFound,
          '422': badQuery,
        },
      },
      post: {
        summary: 'Create a channel in a space (owners and editors), optionally private to some members',
        security: sessionSecurity,
        requestBody: { required: true, content: jsonOf('ChannelCreate') },
        responses: {
          '201': { description: 'Created.', content: jsonOf('ChannelCreated') },
          '400': errorResponse('The body is not JSON (invalid_json).'),
          '401': signedIn,
          '403': errorResponse('The role in the space does not allow it (forbidden).'),
          '404': notFound,
          '409': errorResponse(
            'A channel of that name exists (conflict), or the space is archived (archived).',
          ),
          '422': errorResponse(
            'The body does not match (invalid_input), or a member is not in the space (invalid).',
          ),
        },
      },
    },
    '/channels/direct': {
      post: {
        summary: 'The direct conversation with these people (the same people always get the same one)',
        security: sessionSecurity,
        requestBody: { required: true, content: jsonOf('DirectOpen') },
        responses: {
          '200': { description: 'The conversation.', content: jsonOf('ChannelCreated') },
          '401': signedIn,
          '403': errorResponse('Affiliates do not take part in conversations (forbidden).'),
          '404': errorResponse('A person does not exist or cannot take part (not_found).'),
          '422': errorResponse('The body does not match (invalid_input).'),
        },
      },
    },
    '/channels/{id}/messages': {
      get: {
        summary: "One page of a channel's history (or of one thread), in ascending order",
        description:
          'At most one of `before`, `after` and `firstUnread`. Without any: the newest page. ' +
          "`firstUnread=true` opens at the asker's first unread message (the newest page when all is read). " +
          'With `parentId`: the replies of that thread; otherwise top-level messages only. Deleted messages ' +
          'stay as tombstones (empty body, `deletedAt` set).',
        security: sessionSecurity,
        parameters: [
          { name: 'id', in: 'path', required: true, schema: objectId },
          { name: 'before', in: 'query', required: false, schema: { type: 'integer', minimum: 1 } },
          { name: 'after', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } },
          { name: 'firstUnread', in: 'query', required: false, schema: { type: 'boolean' } },
          { name: 'parentId', in: 'query', required: false, schema: objectId },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
          },
        ],
        responses: {
          '200': {
            description: 'The page, with whether older and newer messages exist.',
            content: jsonOf('HistoryPage'),
          },
          '401': signedIn,
          '404': notFound,
          '422': badQuery,
        },
      },
    },
    '/channels/search': {
      get: {
        summary: 'Messages with every word of `q` in the channels one may read, newest first',
        description:
          'Words match whole, without case or accents ("reunion" finds "Réunion"). Limit to one channel ' +
          '(`channelId`) or one space (`spaceId`).',
        security: sessionSecurity,
        parameters: [
          {
            name: 'q',
            in: 'query',
            required: true,
            schema: { type: 'string', minLength: 1, maxLength: 200 },
          },
          { name: 'channelId', in: 'query', required: false, schema: objectId },
          { name: 'spaceId', in: 'query', required: false, schema: objectId },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
          },
        ],
        responses: {
          '200': { description: 'The hits, each with its channel.', content: jsonOf('SearchHits') },
          '401': signedIn,
          '422': badQuery,
        },
      },
    },
  },
};
