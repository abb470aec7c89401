/** The document content models on a connection (registered with the others in ../models/index.ts). */
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';

export function documentModels(conn: Connection) {
  const m = models(conn);
  return {
    DocumentUpdate: m.DocumentUpdate,
    DocumentSnapshot: m.DocumentSnapshot,
    DocumentVersion: m.DocumentVersion,
  };
}
