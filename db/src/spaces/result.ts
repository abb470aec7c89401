/**
 * What the space services answer: a value, or an expected refusal as data (never thrown), so that every
 * caller (HTTP API, pages, sockets) maps refusals to its own responses.
 */
export type SpaceRefusal =
  /** No such space/document/member, or the actor may not know it exists (not a member). */
  | 'not-found'
  /** A member without the capability. */
  | 'forbidden'
  /** The space is archived: read-only for everyone. */
  | 'archived'
  /** The change would leave the space without an owner. */
  | 'last-owner'
  /** No account has this email (people are added by their existing account; staff invite newcomers). */
  | 'unknown-person'
  /** No such organisation. */
  | 'unknown-organisation'
  /** The account cannot be in spaces (affiliates, disabled accounts). */
  | 'not-eligible'
  | 'already-member'
  /** The person is in the space through their organisation only: an owner changes that membership. */
  | 'organisation-membership'
  /** The target folder does not exist in this space, is trashed, or is not a folder. */
  | 'invalid-parent'
  /** A folder cannot move into itself or one of its subfolders. */
  | 'cycle'
  /** The document or folder is in the trash (restore it first), or is not (for a restore). */
  | 'trashed'
  | 'not-trashed'
  /** Imported content over the largest document the sync server stores (LIMITS.syncMaxDocumentBytes). */
  | 'too-large';

export type SpaceResult<T> = { ok: true; value: T } | { ok: false; error: SpaceRefusal };

export const ok = <T>(value: T): SpaceResult<T> => ({ ok: true, value });
export const refuse = <T = never>(error: SpaceRefusal): SpaceResult<T> => ({ ok: false, error });
