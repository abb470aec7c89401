/**
 * Which link addresses a document may hold. Kept apart from the schema so pages can check an address
 * without loading the editor's packages.
 */
export const SAFE_LINK = /^(https?:|mailto:)/i;
