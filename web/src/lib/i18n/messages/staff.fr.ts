import type { AreaCatalog } from './catalog';
import type { staffEn } from './staff.en';

/** French: Staff administration: members, organisations, categories, the audit log; affiliate sign-up. */
export const staffFr: AreaCatalog<typeof staffEn> = {};
