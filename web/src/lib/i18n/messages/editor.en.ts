/** English: The document editor: saving status, presence, version history, export and import. Keys start with `editor.`; editor.fr.ts has the same keys. */
export const editorEn = {} as const;
