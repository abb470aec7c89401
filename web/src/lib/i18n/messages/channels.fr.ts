import type { AreaCatalog } from './catalog';
import type { channelsEn } from './channels.en';

/** French: Channels, messages, threads and direct conversations. */
export const channelsFr: AreaCatalog<typeof channelsEn> = {};
