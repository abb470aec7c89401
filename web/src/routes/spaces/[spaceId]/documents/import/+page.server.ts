import { fail, redirect } from '@sveltejs/kit';
import { importIntoSpace } from '$lib/server/documents/import-into-space';
import { IMPORT_MAX_BYTES } from '$lib/server/documents/import-file';
import type { Actions, PageServerLoad } from './$types';

/** The import form of a space (the space layout has already refused anyone who is not a member). */
export const load: PageServerLoad = () => ({ maxMegabytes: IMPORT_MAX_BYTES / (1024 * 1024) });

export const actions: Actions = {
  default: async ({ locals, params, request, url }) => {
    if (locals.user === null) redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname)}`);
    const form = await request.formData();
    const outcome = await importIntoSpace(locals.user, params.spaceId, form.get('file'));
    if (!outcome.ok) return fail(outcome.code === 'not_found' ? 404 : 400, { error: outcome.code });
    redirect(303, `/spaces/${params.spaceId}/documents/${outcome.documentId}`);
  },
};
