/**
 * The document services the web app calls through the app context (`appContext().documents`). The host
 * process implements them on its sync endpoint (realtime/src/sync/document-services.ts), because a loaded
 * document's live state and a restore must go through its room. Callers check access first (SPACES'
 * `documentAccessOf` and `can()`): these functions do not.
 */
import type { DocumentVersionPage, DocumentVersionSummary, VersionPageRequest } from '@cope/domain';

export interface DocumentServices {
  /** The document's current state as a full Yjs update: the live room's if loaded, else the stored one. */
  documentState(documentId: string): Promise<Uint8Array>;
  /**
   * A page of the document's versions, newest first (see `listVersions` in ./versions.ts); rejects with
   * `InvalidVersionPageError` for a cursor not from a previous page or a limit out of range.
   */
  listVersions(documentId: string, page?: VersionPageRequest): Promise<DocumentVersionPage>;
  /** A version's content as a full Yjs update, or null when the document has no such version. */
  versionState(
    documentId: string,
    versionId: string,
  ): Promise<{ version: DocumentVersionSummary; state: Uint8Array } | null>;
  createNamedVersion(documentId: string, name: string, userId: string): Promise<DocumentVersionSummary>;
  /**
   * Replaces the document's content with the version's, as a new change made by `userId` through the live
   * room (everyone connected receives it). Resolves once the change is stored; null when no such version.
   */
  restoreVersion(
    documentId: string,
    versionId: string,
    userId: string,
  ): Promise<DocumentVersionSummary | null>;
}
