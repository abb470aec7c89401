import { redirect } from '@sveltejs/kit';
import {
  can,
  createSpaceSchema,
  SPACE_DESCRIPTION_MAX_LENGTH,
  SPACE_KINDS,
  SPACE_TITLE_MAX_LENGTH,
} from '@cope/domain';
import { appContext } from '@cope/db/app-context';
import { requireSpacesPerson } from '$lib/components/spaces/server/access';
import {
  codeList,
  fieldErrors,
  formText,
  invalid,
  readForm,
  refused,
} from '$lib/components/spaces/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { actor } = requireSpacesPerson(event);
  const spaces = await appContext().spaces.listSpacesFor(actor.userId);
  return {
    spaces: spaces.map((space) => ({
      id: space.id,
      title: space.title,
      kind: space.kind,
      role: space.role,
      lastActivityAt: space.updatedAt,
      archived: space.archivedAt !== null,
    })),
    canCreate: can(actor, 'space.create'),
    kinds: SPACE_KINDS,
  };
};

export const actions: Actions = {
  /** Staff create a space and become its first owner; they land on its page to add members. */
  create: async (event) => {
    const { actor } = requireSpacesPerson(event);
    const form = await readForm(event.request);
    const values = {
      title: formText(form, 'title'),
      description: formText(form, 'description'),
      kind: formText(form, 'kind'),
      countries: formText(form, 'countries'),
      languages: formText(form, 'languages'),
    };
    const parsed = createSpaceSchema.safeParse({
      title: values.title,
      description: values.description,
      kind: values.kind,
      countries: codeList(values.countries),
      languages: codeList(values.languages),
    });
    if (!parsed.success) {
      return invalid(
        'create',
        fieldErrors(parsed.error, {
          title: {
            field: 'space-title',
            message: { key: 'spaces.errors.title', params: { max: SPACE_TITLE_MAX_LENGTH } },
          },
          kind: { field: 'space-kind-project', message: { key: 'spaces.errors.kind' } },
          description: {
            field: 'space-description',
            message: { key: 'spaces.errors.description', params: { max: SPACE_DESCRIPTION_MAX_LENGTH } },
          },
          countries: { field: 'space-countries', message: { key: 'spaces.errors.countries' } },
          languages: { field: 'space-languages', message: { key: 'spaces.errors.languages' } },
        }),
        values,
      );
    }
    const result = await appContext().spaces.createSpace(actor, parsed.data);
    if (!result.ok) return refused('create', result.error, values);
    redirect(303, `/spaces/${encodeURIComponent(result.value.id)}`);
  },
};
