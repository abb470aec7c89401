import { loadSpace, permissionsIn, requireSpacesPerson } from '$lib/components/spaces/server/access';
import type { LayoutServerLoad } from './$types';

/**
 * Every page of a space (documents, members, trash, settings, and a document's page) starts here: members
 * get the space and what they may do in it; anyone else gets the 404 page, as for a space that does not exist.
 */
export const load: LayoutServerLoad = async (event) => {
  const { actor } = requireSpacesPerson(event);
  const space = await loadSpace(actor, event.params.spaceId);
  return { space, permissions: permissionsIn(actor, space) };
};
