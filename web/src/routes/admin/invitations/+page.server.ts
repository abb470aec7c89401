import { fail } from '@sveltejs/kit';
import { LOCALES, emailSchema, localeSchema } from '@cope/domain';
import type { InvitationErrorCode } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '$lib/server/actor';
import { requirePage } from '$lib/server/guard';
import { formText } from '$lib/server/password-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const user = requirePage(event, 'admin.invitations.manage');
  const listed = await appContext().accounts.listInvitations({ status: 'pending' }, { actor: actorOf(user) });
  return {
    invitations: listed.ok ? listed.value : [],
    organisations: await appContext().staff.organisationNames(),
    locales: LOCALES,
  };
};

type Refusal = Exclude<InvitationErrorCode, 'tooShort' | 'tooLong' | 'common'>;

function refusal(code: InvitationErrorCode): Refusal {
  return code === 'tooShort' || code === 'tooLong' || code === 'common' ? 'invalidInput' : code;
}

export const actions: Actions = {
  invite: async (event) => {
    const user = requirePage(event, 'admin.invitations.manage');
    const form = await event.request.formData().catch(() => new FormData());
    const values = {
      email: formText(form, 'email').trim(),
      name: formText(form, 'name').trim(),
      locale: formText(form, 'locale'),
      organisationId: formText(form, 'organisationId'),
    };
    if (!emailSchema.safeParse(values.email).success) {
      return fail(400, { values, emailInvalid: true as const });
    }
    const { origin, mailer, accounts } = appContext();
    const result = await accounts.inviteMember(
      {
        email: values.email,
        name: values.name === '' ? undefined : values.name,
        locale: localeSchema.catch('en').parse(values.locale),
        organisationId: values.organisationId === '' ? null : values.organisationId,
      },
      { actor: actorOf(user), origin, mailer },
    );
    if (!result.ok)
      return fail(result.code === 'forbidden' ? 403 : 400, { values, refused: refusal(result.code) });
    return { sent: result.value.email };
  },

  resend: async (event) => {
    const user = requirePage(event, 'admin.invitations.manage');
    const form = await event.request.formData().catch(() => new FormData());
    const { origin, mailer, accounts } = appContext();
    const result = await accounts.resendInvitation(formText(form, 'id'), {
      actor: actorOf(user),
      origin,
      mailer,
    });
    if (!result.ok) return fail(400, { refused: refusal(result.code) });
    return { resent: result.value.email };
  },

  revoke: async (event) => {
    const user = requirePage(event, 'admin.invitations.manage');
    const form = await event.request.formData().catch(() => new FormData());
    const result = await appContext().accounts.revokeInvitation(formText(form, 'id'), {
      actor: actorOf(user),
    });
    if (!result.ok) return fail(400, { refused: refusal(result.code) });
    return { revoked: result.value.email };
  },
};
