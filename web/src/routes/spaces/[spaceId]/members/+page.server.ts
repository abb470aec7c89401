import { addMemberSchema, changeRoleSchema, SPACE_ROLES } from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { notFound, requireSpacesPerson } from '$lib/components/spaces/server/access';
import { done, formText, invalid, readForm, refused } from '$lib/components/spaces/server/forms';
import { refusalMessage, type FieldError } from '$lib/components/spaces/answer';
import type { SpaceRefusal } from '@cope/db';
import { translator } from '$lib/i18n';
import type { SpaceRole } from '@cope/domain';
import type { Actions, PageServerLoad } from './$types';

const PERSON_REFUSALS: readonly SpaceRefusal[] = ['unknown-person', 'not-eligible', 'already-member'];

export const load: PageServerLoad = async (event) => {
  const { actor } = requireSpacesPerson(event);
  const { permissions } = await event.parent();
  const members = await appContext().spaces.listMembers(actor, event.params.spaceId);
  if (!members.ok) notFound();
  return {
    members: members.value.map((m) => ({
      type: m.kind === 'organisation' ? ('organisation' as const) : ('person' as const),
      id: m.id,
      name: m.name,
      email: m.email,
      role: m.role,
      isYou: m.userId === actor.userId,
    })),
    // Only people who manage members pick from the organisations.
    organisations: permissions.manageMembers ? await appContext().staff.organisationNames() : [],
    roles: SPACE_ROLES,
  };
};

/** A role's name in the reader's language, for the status message. */
function roleName(event: { locals: App.Locals }, role: SpaceRole): string {
  return translator(event.locals.locale)(`spaces.role.${role}`);
}

function memberName(members: { id: string; name: string }[], id: string): string {
  return members.find((m) => m.id === id)?.name ?? '';
}

export const actions: Actions = {
  addPerson: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const values = { email: formText(form, 'email').trim(), role: formText(form, 'role') };
    const parsed = addMemberSchema.safeParse(values);
    if (!parsed.success) {
      const errors: FieldError[] = [];
      if (parsed.error.issues.some((i) => i.path.includes('email') || i.code === 'invalid_union')) {
        errors.push({ field: 'member-email', message: { key: 'spaces.errors.email' } });
      }
      if (parsed.error.issues.some((i) => i.path.includes('role'))) {
        errors.push({ field: 'member-role', message: { key: 'spaces.errors.role' } });
      }
      return invalid('addPerson', errors, values);
    }
    const result = await appContext().spaces.addMember(actor, event.params.spaceId, parsed.data);
    // About the address typed: shown on the field, so the summary links to it.
    if (!result.ok && PERSON_REFUSALS.includes(result.error)) {
      return invalid('addPerson', [{ field: 'member-email', message: refusalMessage(result.error) }], values);
    }
    if (!result.ok) return refused('addPerson', result.error, values);
    return done('addPerson', {
      key: 'spaces.members.added',
      params: { name: result.value.name, role: roleName(event, result.value.role) },
    });
  },

  addOrganisation: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const values = { organisationId: formText(form, 'organisationId'), role: formText(form, 'role') };
    const parsed = addMemberSchema.safeParse(values);
    if (!parsed.success) {
      return invalid(
        'addOrganisation',
        [{ field: 'member-organisation', message: { key: 'spaces.errors.organisation' } }],
        values,
      );
    }
    const result = await appContext().spaces.addMember(actor, event.params.spaceId, parsed.data);
    if (!result.ok) return refused('addOrganisation', result.error, values);
    return done('addOrganisation', {
      key: 'spaces.members.added',
      params: { name: result.value.name, role: roleName(event, result.value.role) },
    });
  },

  changeRole: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const memberId = formText(form, 'memberId');
    const parsed = changeRoleSchema.safeParse({ role: formText(form, 'role') });
    if (!parsed.success) {
      return invalid(
        `role-${memberId}`,
        [{ field: `role-${memberId}`, message: { key: 'spaces.errors.role' } }],
        {},
      );
    }
    const { spaces } = appContext();
    const before = await spaces.listMembers(actor, event.params.spaceId);
    const result = await spaces.changeRole(actor, event.params.spaceId, memberId, parsed.data);
    if (!result.ok) return refused(`role-${memberId}`, result.error);
    return done('changeRole', {
      key: 'spaces.members.roleChanged',
      params: {
        name: before.ok ? memberName(before.value, memberId) : '',
        role: roleName(event, result.value.role),
      },
    });
  },

  remove: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const memberId = formText(form, 'memberId');
    const { spaces } = appContext();
    const before = await spaces.listMembers(actor, event.params.spaceId);
    const result = await spaces.removeMember(actor, event.params.spaceId, memberId);
    if (!result.ok) return refused('remove', result.error);
    return done('remove', {
      key: 'spaces.members.removed',
      params: { name: before.ok ? memberName(before.value, memberId) : '' },
    });
  },
};
