import { updateDocumentNodeSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from '../../spaces/respond';
import type { RequestHandler } from './$types';

/** A document with its space's title and the asker's role (404 outside the space). */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.getDocument(who.actor, params.id), (document) => ({ document }));
};

/** Rename and/or move a document or folder (`parentId: null` is the space's root). */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, updateDocumentNodeSchema);
  if (!body.ok) return body.response;
  const result = await appContext().spaces.updateDocumentNode(who.actor, params.id, body.value);
  return respond(result, (node) => ({ node }));
};

/** Moves a document or folder (with its contents) to the trash, kept 30 days. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.trashDocumentNode(who.actor, params.id), (node) => ({ node }));
};
