/** What a space is for, and the templates a new document can start from. */
import { z } from 'zod';

/** Labels are translated in the interface; these keys are stored. */
export const SPACE_KINDS = ['project', 'research-study', 'working-group'] as const;
export type SpaceKind = (typeof SPACE_KINDS)[number];
export const spaceKindSchema = z.enum(SPACE_KINDS);

/**
 * The templates a document starts from. The server builds each one's content (headings in the creator's
 * language) as a Yjs update; `blank` is an empty document.
 */
export const DOCUMENT_TEMPLATES = ['research-protocol', 'project-plan', 'meeting-notes', 'blank'] as const;
export type DocumentTemplate = (typeof DOCUMENT_TEMPLATES)[number];
export const documentTemplateSchema = z.enum(DOCUMENT_TEMPLATES);

/** A node of a space's document tree is a folder or a document. */
export const DOCUMENT_NODE_TYPES = ['folder', 'document'] as const;
export type DocumentNodeType = (typeof DOCUMENT_NODE_TYPES)[number];

/** Trashed documents and folders are kept this long, then purged with their stored content. */
export const TRASH_RETENTION_DAYS = 30;
