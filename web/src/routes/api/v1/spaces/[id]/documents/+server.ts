import { createDocumentSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { readJsonBody } from '$lib/server/api';
import { actorOrResponse, respond } from '../../respond';
import type { RequestHandler } from './$types';

/** The space's tree (folders and documents, not the trash) as a flat list; each node names its parent. */
export const GET: RequestHandler = async ({ locals, params }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  return respond(await appContext().spaces.listTree(who.actor, params.id), (nodes) => ({ nodes }));
};

/** Owners and editors create a document from a template, headings in the language they use the site in. */
export const POST: RequestHandler = async ({ locals, params, request }) => {
  const who = actorOrResponse(locals.user);
  if ('response' in who) return who.response;
  const body = await readJsonBody(request, createDocumentSchema);
  if (!body.ok) return body.response;
  const result = await appContext().spaces.createDocument(who.actor, {
    ...body.value,
    spaceId: params.id,
    locale: locals.locale,
  });
  return respond(result, (document) => ({ id: document.id, document }), 201);
};
