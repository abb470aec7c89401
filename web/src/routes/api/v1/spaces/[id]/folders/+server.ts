import { createFolderSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from '../../respond';
import type { RequestHandler } from './$types';

/** Owners and editors create a folder (at the root, or in `parentId`). */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, createFolderSchema);
  if (!body.ok) return body.response;
  const result = await appContext().spaces.createFolder(who.actor, params.id, body.value);
  return respond(result, (folder) => ({ id: folder.id, folder }), 201);
};
