import { error, fail, redirect } from '@sveltejs/kit';
import { createNamedVersionSchema, entityIdSchema } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { readableDocument, type ReadableDocument } from '$lib/server/documents/document-access';
import { versionsForPage } from '$lib/server/documents/versions';
import { colourOf } from '$lib/editor/colours';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/**
 * The document page: who may open it is decided by the space services and `can()`; anyone else (signed in
 * or not a member, wrong space in the address) gets the same 404, so a document's existence never leaks.
 */
async function documentOf(event: Pick<RequestEvent, 'locals' | 'params' | 'url'>) {
  const user = event.locals.user;
  if (user === null) redirect(303, `/sign-in?next=${encodeURIComponent(event.url.pathname)}`);
  const actor = actorOf(user);
  const document = await readableDocument(user, event.params.documentId);
  if (actor === null || document === null || document.spaceId !== event.params.spaceId) {
    error(404, { message: 'Not found', code: 'not_found' });
  }
  return { user, actor, document };
}

export const load: PageServerLoad = async (event) => {
  const { user, actor, document } = await documentOf(event);
  await appContext().spaces.recordDocumentOpened(actor, document.id);
  return {
    document,
    versionPage: await versionsForPage(actor, document.spaceId, document.id),
    me: { id: user.id, name: user.name, color: colourOf(user.id) },
  };
};

type VersionFailure = { versionError: 'nameRequired' | 'saveFailed' | 'restoreFailed' };

function refuseUnless(allowed: boolean, document: ReadableDocument): void {
  // Readers who may not do this learn only that they may not.
  if (!allowed) error(403, { message: `Forbidden on ${document.id}`, code: 'forbidden' });
}

export const actions: Actions = {
  nameVersion: async (event) => {
    const { user, document } = await documentOf(event);
    refuseUnless(document.canEdit, document);
    const form = await event.request.formData();
    const parsed = createNamedVersionSchema.safeParse({ name: form.get('name') ?? '' });
    if (!parsed.success) return fail(400, { versionError: 'nameRequired' } satisfies VersionFailure);
    const version = await appContext().documents.createNamedVersion(document.id, parsed.data.name, user.id);
    return { versionSaved: version.name ?? parsed.data.name };
  },
  restoreVersion: async (event) => {
    const { user, document } = await documentOf(event);
    refuseUnless(document.canRestoreVersion, document);
    const form = await event.request.formData();
    const versionId = entityIdSchema.safeParse(form.get('versionId') ?? '');
    if (!versionId.success) return fail(400, { versionError: 'restoreFailed' } satisfies VersionFailure);
    const restored = await appContext().documents.restoreVersion(document.id, versionId.data, user.id);
    if (restored === null) return fail(404, { versionError: 'restoreFailed' } satisfies VersionFailure);
    return { versionRestored: restored.createdAt };
  },
};
