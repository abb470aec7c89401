import type { AreaCatalog } from './catalog';
import type { directoryEn } from './directory.en';

/** French: The member directory and profiles (the person’s own profile and visibility choices included). */
export const directoryFr: AreaCatalog<typeof directoryEn> = {};
