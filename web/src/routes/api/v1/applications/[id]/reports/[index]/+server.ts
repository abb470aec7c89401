import { can } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { forbidden, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';
import { applicationError } from '../../../errors';
import type { RequestHandler } from './$types';

/** Staff download an annual report: always as an attachment, never sniffed, so a browser never renders it inline. */
export const GET: RequestHandler = async ({ locals, params }) => {
  if (locals.user === null) return unauthenticated();
  const actor = actorOf(locals.user);
  if (!can(actor, 'admin.applications.review')) return forbidden();
  const result = await appContext().accounts.readApplicationFile(params.id, params.index, { actor });
  if (!result.ok) return applicationError(result.code, result.message);
  const ascii = result.value.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return new Response(new Uint8Array(result.value.data), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(result.value.filename)}`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  });
};
