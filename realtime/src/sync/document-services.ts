/**
 * The document services of the app context, on this process's sync rooms: a loaded document is read from
 * and changed through its live room (so open editors see a restore at once); otherwise from the store.
 */
import {
  createVersion,
  listVersions,
  loadDocumentState,
  versionState,
  type DocumentServices,
} from '@cope/db';
import type { Connection } from 'mongoose';
import * as Y from 'yjs';
import { replaceContent } from './restore.js';
import type { RoomRegistry } from './rooms.js';

/** `roomsOf` is read at call time: the host process builds these services before its sync endpoint. */
export function documentServices(conn: Connection, roomsOf: () => RoomRegistry): DocumentServices {
  const currentState = async (documentId: string): Promise<Uint8Array> => {
    const room = roomsOf().loaded(documentId);
    return room ? Y.encodeStateAsUpdate(room.doc) : loadDocumentState(conn, documentId);
  };
  return {
    documentState: currentState,
    listVersions: (documentId, page) => listVersions(conn, documentId, page),
    versionState: (documentId, versionId) => versionState(conn, documentId, versionId),
    async createNamedVersion(documentId, name, userId) {
      const state = await currentState(documentId);
      const editors = roomsOf().takeEditors(documentId);
      return createVersion(conn, { documentId, kind: 'named', name, state, editors, createdBy: userId });
    },
    async restoreVersion(documentId, versionId, userId) {
      const found = await versionState(conn, documentId, versionId);
      if (found === null) return null;
      const rooms = roomsOf();
      const room = await rooms.acquire(documentId);
      try {
        room.change(userId, (doc) => replaceContent(doc, found.state));
        await room.flushed();
      } finally {
        rooms.release(room);
      }
      return found.version;
    },
  };
}
