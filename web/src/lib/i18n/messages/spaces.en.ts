/** English: Spaces, their documents tree and members, and the signed-in home page. Keys start with `spaces.`; spaces.fr.ts has the same keys. */
export const spacesEn = {} as const;
