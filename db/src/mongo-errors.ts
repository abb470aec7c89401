/** MongoDB's error codes that the data access code answers to (the same on the embedded server). */

/** A unique index refused a second document with the same key. */
export const DUPLICATE_KEY = 11000;
/** The collection is not there. */
export const NAMESPACE_NOT_FOUND = 26;
/** The index is not there. */
export const INDEX_NOT_FOUND = 27;

/** The error's MongoDB code, if it has one (a driver error, or a write error of a command's reply). */
export function mongoCodeOf(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'number' ? code : undefined;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return mongoCodeOf(error) === DUPLICATE_KEY;
}
