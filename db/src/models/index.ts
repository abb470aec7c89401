/**
 * The mongoose models, created on a given connection (never mongoose's global default connection), so that
 * the app, the CLI and each test can hold connections to different databases side by side.
 *
 *   const { User, Session } = models(conn);
 */
import type { Connection } from 'mongoose';
import { INDEX_NOT_FOUND, mongoCodeOf, NAMESPACE_NOT_FOUND } from '../mongo-errors.js';
import { applicationFileSchema, applicationSchema } from './application.js';
import { auditEventSchema } from './audit-event.js';
import { invitationSchema } from './invitation.js';
import { lockoutSchema, loginFailureSchema } from './login-failure.js';
import { oneTimeTokenSchema } from './one-time-token.js';
import { organisationSchema } from './organisation.js';
import { sessionSchema } from './session.js';
import { userSchema } from './user.js';
import {
  documentNodeSchema,
  documentOpenSchema,
  spaceMembershipSchema,
  spaceSchema,
} from '../spaces/models/index.js';
import { documentSnapshotSchema, documentUpdateSchema, documentVersionSchema } from '../documents/models.js';

function createModels(conn: Connection) {
  return {
    User: conn.model('User', userSchema),
    Session: conn.model('Session', sessionSchema),
    Organisation: conn.model('Organisation', organisationSchema),
    AuditEvent: conn.model('AuditEvent', auditEventSchema),
    LoginFailure: conn.model('LoginFailure', loginFailureSchema),
    Lockout: conn.model('Lockout', lockoutSchema),
    OneTimeToken: conn.model('OneTimeToken', oneTimeTokenSchema),
    Invitation: conn.model('Invitation', invitationSchema),
    Application: conn.model('Application', applicationSchema),
    ApplicationFile: conn.model('ApplicationFile', applicationFileSchema),
    Space: conn.model('Space', spaceSchema),
    SpaceMembership: conn.model('SpaceMembership', spaceMembershipSchema),
    DocumentNode: conn.model('DocumentNode', documentNodeSchema),
    DocumentOpen: conn.model('DocumentOpen', documentOpenSchema),
    DocumentUpdate: conn.model('DocumentUpdate', documentUpdateSchema),
    DocumentSnapshot: conn.model('DocumentSnapshot', documentSnapshotSchema),
    DocumentVersion: conn.model('DocumentVersion', documentVersionSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

const byConnection = new WeakMap<Connection, Models>();

/** The models bound to `conn`, created once per connection. */
export function models(conn: Connection): Models {
  let m = byConnection.get(conn);
  if (m === undefined) {
    m = createModels(conn);
    byConnection.set(conn, m);
  }
  return m;
}

/**
 * Indexes that earlier versions built and nothing reads any more: each still costs a write per document, so
 * start-up drops them.
 */
const OBSOLETE_INDEXES = [
  // Replaced by { documentId, createdAt: -1, _id: -1 } when the version history came in pages.
  { collection: 'document_versions', name: 'documentId_1_createdAt_-1' },
] as const;

/**
 * Builds every model's indexes (unique email, TTLs…) and drops the obsolete ones; call once at start-up, and in
 * tests before asserting on them.
 */
export async function ensureIndexes(conn: Connection): Promise<void> {
  const m = models(conn);
  for (const model of Object.values(m)) await model.createIndexes();
  const db = conn.db;
  if (db === undefined) return;
  for (const { collection, name } of OBSOLETE_INDEXES) {
    try {
      await db.collection(collection).dropIndex(name);
    } catch (error) {
      const code = mongoCodeOf(error);
      if (code !== INDEX_NOT_FOUND && code !== NAMESPACE_NOT_FOUND) throw error;
    }
  }
}

export * from './user.js';
export * from './session.js';
export * from './organisation.js';
export * from './audit-event.js';
export * from './login-failure.js';
export * from './one-time-token.js';
export * from './invitation.js';
export * from './application.js';
