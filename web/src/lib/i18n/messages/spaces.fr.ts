import type { AreaCatalog } from './catalog';
import type { spacesEn } from './spaces.en';

/** French: Spaces, their documents tree and members, and the signed-in home page. */
export const spacesFr: AreaCatalog<typeof spacesEn> = {};
