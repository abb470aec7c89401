/**
 * A document's content lives in the document store (db/src/documents/store.ts, the sync server's log of
 * Yjs updates); the tree only names it. These are the two moments the tree touches it: creation and purge.
 */
import type { Connection } from 'mongoose';
import { appendDocumentUpdates, deleteStoredDocument } from '../documents/store.js';

/** Stores a new document's first content (a template or an import) as one update by its creator. */
export async function storeDocumentContent(
  conn: Connection,
  documentId: string,
  update: Uint8Array,
  userId: string,
): Promise<void> {
  await appendDocumentUpdates(conn, documentId, [{ update, userId }]);
}

/** Deletes everything stored for a purged document. */
export async function removeDocumentContent(conn: Connection, documentId: string): Promise<void> {
  await deleteStoredDocument(conn, documentId);
}
