/**
 * The space services bound to one connection: what the host process hands to the web app
 * (`appContext().spaces`). The interface is derived from the functions, so they cannot drift apart.
 */
import type { Connection } from 'mongoose';
import { documentAccessOf, spaceAccessOf } from './access.js';
import { markDocumentEdited, recordDocumentOpened } from './activity.js';
import {
  createDocument,
  createFolder,
  getDocument,
  listTrash,
  listTree,
  restoreDocumentNode,
  trashDocumentNode,
  updateDocumentNode,
} from './documents.js';
import { homeFor } from './home.js';
import { addMember, changeRole, leaveSpace, listMembers, removeMember } from './members.js';
import { listAllSpaces } from './staff-list.js';
import { archiveSpace, createSpace, getSpace, listSpacesFor, restoreSpace, updateSpace } from './spaces.js';

/** A service with its first parameter (the connection) supplied. */
type Bound<F> = F extends (conn: Connection, ...rest: infer A) => infer R ? (...rest: A) => R : never;

const SERVICES = {
  spaceAccessOf,
  documentAccessOf,
  createSpace,
  listSpacesFor,
  getSpace,
  updateSpace,
  archiveSpace,
  restoreSpace,
  listAllSpaces,
  listMembers,
  addMember,
  changeRole,
  removeMember,
  leaveSpace,
  createDocument,
  createFolder,
  getDocument,
  updateDocumentNode,
  trashDocumentNode,
  restoreDocumentNode,
  listTree,
  listTrash,
  recordDocumentOpened,
  markDocumentEdited,
  homeFor,
};

export type SpaceServices = { [K in keyof typeof SERVICES]: Bound<(typeof SERVICES)[K]> };

export function bindSpaceServices(conn: Connection): SpaceServices {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(SERVICES)) {
    bound[name] = (...args: unknown[]) => (fn as (c: Connection, ...a: unknown[]) => unknown)(conn, ...args);
  }
  return bound as SpaceServices;
}
