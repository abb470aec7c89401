/** English: The member directory and profiles (the person’s own profile and visibility choices included). Keys start with `directory.`; directory.fr.ts has the same keys. */
export const directoryEn = {} as const;
