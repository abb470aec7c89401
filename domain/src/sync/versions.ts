/** Document versions: the shapes the versions API reads and answers with. */
import { z } from 'zod';

export const DOCUMENT_VERSION_KINDS = ['auto', 'named'] as const;
export type DocumentVersionKind = (typeof DOCUMENT_VERSION_KINDS)[number];

/** Timing of automatic versions: after a pause in editing, and at least this often while edited. */
export const AUTO_VERSION = {
  pauseMs: 2 * 60 * 1000,
  maxIntervalMs: 60 * 60 * 1000,
} as const;

export const createNamedVersionSchema = z.object({
  name: z.string().trim().min(1).max(200),
});
export type CreateNamedVersionInput = z.infer<typeof createNamedVersionSchema>;

/** A version as listed (without its content). */
export interface DocumentVersionSummary {
  id: string;
  kind: DocumentVersionKind;
  name: string | null;
  createdAt: string;
  createdBy: string | null;
  /** Who edited since the previous version. */
  editors: string[];
}
