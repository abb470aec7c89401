import { requirePage } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

/** The whole staff area: staff only. Each page checks its own capability again. */
export const load: LayoutServerLoad = (event) => {
  requirePage(event, 'admin.outbox.read');
  return {};
};
