/** English: Channels, messages, threads and direct conversations. Keys start with `channels.`; channels.fr.ts has the same keys. */
export const channelsEn = {} as const;
