import { error, fail } from '@sveltejs/kit';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'admin.applications.review');
  const found = await appContext().accounts.getApplication(event.params.id, { actor: actorOf(user) });
  if (!found.ok) error(404, 'Not found');
  return { application: found.value };
};

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

async function decide(event: RequestEvent, decision: unknown) {
  const user = requirePage(event, 'admin.applications.review');
  const { origin, mailer, accounts } = appContext();
  const result = await accounts.decideApplication(event.params.id, decision, {
    actor: actorOf(user),
    origin,
    mailer,
  });
  if (result.ok) return { done: true as const };
  return fail(result.code === 'invalidInput' ? 400 : 409, { refused: result.code });
}

export const actions: Actions = {
  approve: async (event) => {
    const form = await event.request.formData().catch(() => new FormData());
    return decide(event, { kind: 'approve', category: text(form, 'category') });
  },
  reject: async (event) => {
    const form = await event.request.formData().catch(() => new FormData());
    return decide(event, { kind: 'reject', reason: text(form, 'reason') });
  },
  moreInfo: async (event) => {
    const form = await event.request.formData().catch(() => new FormData());
    return decide(event, { kind: 'more-info', message: text(form, 'message') });
  },
};
