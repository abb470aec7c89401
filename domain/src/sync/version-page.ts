/**
 * Paging through a document's versions, newest first. A page ends at a cursor naming the last version shown
 * exactly (its creation time and id), so versions made in the same millisecond are neither skipped nor shown
 * twice. Cursors are opaque to clients: they are only ever handed back as received.
 */
import { z } from 'zod';
import type { DocumentVersionSummary } from './versions.js';

export const VERSION_PAGE = { defaultLimit: 50, maxLimit: 200 } as const;

/** Where a page of versions starts: strictly older than this version. */
export interface VersionCursor {
  createdAt: Date;
  id: string;
}

// 12 hex digits of milliseconds since 1970 (enough until the year 10889), then the version's 24-hex id.
const CURSOR_PATTERN = /^[0-9a-f]{12}[0-9a-f]{24}$/;

export function encodeVersionCursor(cursor: VersionCursor): string {
  return cursor.createdAt.getTime().toString(16).padStart(12, '0') + cursor.id.toLowerCase();
}

export const versionCursorSchema = z
  .string()
  .regex(CURSOR_PATTERN, 'Not a cursor from a previous page of versions.')
  .transform((text): VersionCursor => ({
    createdAt: new Date(Number.parseInt(text.slice(0, 12), 16)),
    id: text.slice(12),
  }));

export const versionPageLimitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(VERSION_PAGE.maxLimit)
  .default(VERSION_PAGE.defaultLimit);

/** What a page of versions is asked with (the query string of the versions API, or a service call). */
export const versionPageQuerySchema = z.object({
  before: versionCursorSchema.optional(),
  limit: versionPageLimitSchema,
});

/** How a caller asks for a page: `before` is the `next` of the previous page (none for the newest page). */
export interface VersionPageRequest {
  before?: string;
  limit?: number;
}

/** A page of versions, newest first; `next` asks for the page after it (null when there are no older ones). */
export interface DocumentVersionPage {
  versions: DocumentVersionSummary[];
  next: string | null;
}
