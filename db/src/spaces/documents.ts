/**
 * The document tree of a space: create documents (from a template or imported content) and folders, rename,
 * move, trash and restore; list the tree and the trash. Every call goes through `authorizeSpace` (and so
 * `can()`); nothing changes in an archived space.
 */
import {
  LIMITS,
  TRASH_RETENTION_DAYS,
  createDocumentSchema,
  createFolderSchema,
  updateDocumentNodeSchema,
  type Action,
  type Actor,
  type CreateDocumentInput,
  type CreateFolderInput,
  type DocumentNodeType,
  type DocumentTemplate,
  type Locale,
  type SpaceRole,
  type UpdateDocumentNodeInput,
} from '@cope/domain';
import type { Connection, Types } from 'mongoose';
import * as Y from 'yjs';
import { models } from '../models/index.js';
import { objectIdOrNull } from './access.js';
import { publishSpaceAccessChange } from './access-events.js';
import { authorizeSpace, type AuthorizedSpace } from './authorize.js';
import { storeDocumentContent } from './content.js';
import type { DocumentNodeRecord } from './models/document-node.js';
import { ok, refuse, type SpaceResult } from './result.js';
import { templateUpdate } from './templates.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DocumentNodeView {
  id: string;
  spaceId: string;
  type: DocumentNodeType;
  title: string;
  /** The template a document started from; null for folders and imported documents. */
  template: DocumentTemplate | null;
  ownerId: string;
  /** The folder it is in; null at the root. */
  parentId: string | null;
  createdAt: Date;
  updatedAt: Date;
  lastEditedAt: Date | null;
  lastEditedBy: string | null;
  trashedAt: Date | null;
}

export interface TrashedNodeView extends DocumentNodeView {
  trashedAt: Date;
  /** When the purge sweep deletes it for good. */
  purgeAt: Date;
}

export interface DocumentView extends DocumentNodeView {
  type: 'document';
  spaceTitle: string;
  archived: boolean;
  /** The asking person's role in the document's space. */
  role: SpaceRole;
}

export function nodeView(node: DocumentNodeRecord): DocumentNodeView {
  return {
    id: node._id.toHexString(),
    spaceId: node.spaceId.toHexString(),
    type: node.type,
    title: node.title,
    template: node.template ?? null,
    ownerId: node.ownerId.toHexString(),
    parentId: node.parentId?.toHexString() ?? null,
    createdAt: node.createdAt,
    updatedAt: node.updatedAt,
    lastEditedAt: node.lastEditedAt ?? null,
    lastEditedBy: node.lastEditedBy?.toHexString() ?? null,
    trashedAt: node.trashedAt ?? null,
  };
}

/** A node and the gate of its space, for the services that start from a node id. */
async function authorizeNode(
  conn: Connection,
  actor: Actor,
  nodeId: string,
  action: Action,
  writes: boolean,
): Promise<SpaceResult<{ node: DocumentNodeRecord; gate: AuthorizedSpace }>> {
  const id = objectIdOrNull(nodeId);
  if (id === null) return refuse('not-found');
  const node = await models(conn).DocumentNode.findById(id).lean<DocumentNodeRecord>();
  if (node === null) return refuse('not-found');
  const gate = await authorizeSpace(conn, actor, node.spaceId.toHexString(), action, { writes });
  if (!gate.ok) return gate;
  return ok({ node, gate: gate.value });
}

/** A folder that can receive children: in this space, a folder, not in the trash. */
async function usableFolder(
  conn: Connection,
  spaceId: Types.ObjectId,
  parentId: string | null | undefined,
): Promise<SpaceResult<Types.ObjectId | null>> {
  if (parentId === null || parentId === undefined) return ok(null);
  const id = objectIdOrNull(parentId);
  if (id === null) return refuse('invalid-parent');
  const parent = await models(conn)
    .DocumentNode.findOne({ _id: id, spaceId }, { type: 1, trashedAt: 1 })
    .lean();
  if (parent === null || parent.type !== 'folder' || parent.trashedAt !== null)
    return refuse('invalid-parent');
  return ok(parent._id);
}

export interface CreateDocumentRequest extends CreateDocumentInput {
  spaceId: string;
  /** The language of the template's headings; the creator's account language when absent. */
  locale?: Locale;
  /** Imported content (a full Yjs update) instead of a template. */
  initialState?: Uint8Array;
}

/**
 * Creates a document from a template (its content built as a Yjs update in the creator's language) or from
 * imported content, and stores that content through the document store before the document appears in the
 * tree, so nobody opens it half made.
 */
export async function createDocument(
  conn: Connection,
  actor: Actor,
  request: CreateDocumentRequest,
): Promise<SpaceResult<DocumentNodeView>> {
  const gate = await authorizeSpace(conn, actor, request.spaceId, 'space.document.create', { writes: true });
  if (!gate.ok) return gate;
  const data = createDocumentSchema.parse(request);
  const space = gate.value.space;
  const parent = await usableFolder(conn, space._id, data.parentId);
  if (!parent.ok) return parent;
  const m = models(conn);
  const locale = request.locale ?? (await localeOf(conn, actor.userId));
  const imported = request.initialState !== undefined;
  const now = new Date();
  const node = new m.DocumentNode({
    spaceId: space._id,
    type: 'document',
    title: data.title,
    template: imported ? null : data.template,
    ownerId: actor.userId,
    parentId: parent.value,
    createdAt: now,
    updatedAt: now,
  });
  const content = request.initialState ?? templateUpdate(data.template, locale);
  if (content.byteLength > LIMITS.syncMaxDocumentBytes) return refuse('too-large');
  // Imported content comes from our own converters; a broken update is a bug there, never stored here.
  if (imported) assertValidUpdate(content);
  await storeDocumentContent(conn, node._id.toHexString(), content, actor.userId);
  await node.save();
  return ok(nodeView(node.toObject<DocumentNodeRecord>()));
}

export async function createFolder(
  conn: Connection,
  actor: Actor,
  spaceId: string,
  input: CreateFolderInput,
): Promise<SpaceResult<DocumentNodeView>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.document.create', { writes: true });
  if (!gate.ok) return gate;
  const data = createFolderSchema.parse(input);
  const parent = await usableFolder(conn, gate.value.space._id, data.parentId);
  if (!parent.ok) return parent;
  const now = new Date();
  const folder = await models(conn).DocumentNode.create({
    spaceId: gate.value.space._id,
    type: 'folder',
    title: data.title,
    template: null,
    ownerId: actor.userId,
    parentId: parent.value,
    createdAt: now,
    updatedAt: now,
  });
  return ok(nodeView(folder.toObject<DocumentNodeRecord>()));
}

/** Rename and/or move a document or folder, within its space; a folder never moves under itself. */
export async function updateDocumentNode(
  conn: Connection,
  actor: Actor,
  nodeId: string,
  input: UpdateDocumentNodeInput,
): Promise<SpaceResult<DocumentNodeView>> {
  const found = await authorizeNode(conn, actor, nodeId, 'space.document.edit', true);
  if (!found.ok) return found;
  const { node } = found.value;
  if (node.trashedAt !== null) return refuse('trashed');
  const changes = updateDocumentNodeSchema.parse(input);
  const set: Record<string, unknown> = { updatedAt: new Date() };
  if (changes.title !== undefined) set.title = changes.title;
  if (changes.parentId !== undefined) {
    const parent = await usableFolder(conn, node.spaceId, changes.parentId);
    if (!parent.ok) return parent;
    if (parent.value !== null && (await isWithin(conn, parent.value, node._id))) return refuse('cycle');
    set.parentId = parent.value;
  }
  const updated = await models(conn)
    .DocumentNode.findByIdAndUpdate(node._id, { $set: set }, { returnDocument: 'after' })
    .lean<DocumentNodeRecord>();
  if (updated === null) return refuse('not-found');
  return ok(nodeView(updated));
}

/** Whether `folderId` is `ancestorId` or lies somewhere below it. */
async function isWithin(
  conn: Connection,
  folderId: Types.ObjectId,
  ancestorId: Types.ObjectId,
): Promise<boolean> {
  const m = models(conn);
  let current: Types.ObjectId | null = folderId;
  // Bounded walk: a tree deeper than this is already broken; refusing is the safe answer.
  for (let depth = 0; current !== null && depth < 1000; depth++) {
    if (current.equals(ancestorId)) return true;
    const step: { parentId?: Types.ObjectId | null } | null = await m.DocumentNode.findById(current, {
      parentId: 1,
    }).lean();
    current = step?.parentId ?? null;
  }
  return current !== null;
}

/** Every node below a folder (any depth), trashed or not. */
async function descendantsOf(conn: Connection, folderId: Types.ObjectId): Promise<DocumentNodeRecord[]> {
  const m = models(conn);
  const out: DocumentNodeRecord[] = [];
  let frontier = [folderId];
  while (frontier.length > 0) {
    const children = await m.DocumentNode.find({ parentId: { $in: frontier } }).lean<DocumentNodeRecord[]>();
    out.push(...children);
    frontier = children.filter((c) => c.type === 'folder').map((c) => c._id);
  }
  return out;
}

/**
 * Moves a document or a folder (with everything in it) to the trash. Open connections to the trashed
 * documents are re-checked and closed.
 */
export async function trashDocumentNode(
  conn: Connection,
  actor: Actor,
  nodeId: string,
): Promise<SpaceResult<DocumentNodeView>> {
  const found = await authorizeNode(conn, actor, nodeId, 'space.document.delete', true);
  if (!found.ok) return found;
  const { node } = found.value;
  if (node.trashedAt !== null) return refuse('trashed');
  const m = models(conn);
  const now = new Date();
  if (node.type === 'folder') {
    const inside = (await descendantsOf(conn, node._id))
      .filter((d) => d.trashedAt === null)
      .map((d) => d._id);
    // What was trashed on its own before keeps its own date and is restored on its own.
    await m.DocumentNode.updateMany(
      { _id: { $in: inside } },
      { $set: { trashedAt: now, trashedBy: actor.userId, trashedWith: node._id } },
    );
  }
  const updated = await m.DocumentNode.findByIdAndUpdate(
    node._id,
    { $set: { trashedAt: now, trashedBy: actor.userId, trashedWith: null } },
    { returnDocument: 'after' },
  ).lean<DocumentNodeRecord>();
  if (updated === null) return refuse('not-found');
  publishSpaceAccessChange({ spaceId: node.spaceId.toHexString(), userIds: 'all' });
  return ok(nodeView(updated));
}

/**
 * Brings a node (and what went to the trash with it) back. If its folder is gone or still in the trash, it
 * comes back at the space's root.
 */
export async function restoreDocumentNode(
  conn: Connection,
  actor: Actor,
  nodeId: string,
): Promise<SpaceResult<DocumentNodeView>> {
  const found = await authorizeNode(conn, actor, nodeId, 'space.document.restore', true);
  if (!found.ok) return found;
  const { node } = found.value;
  if (node.trashedAt === null) return refuse('not-trashed');
  const m = models(conn);
  let parentId = node.parentId ?? null;
  if (parentId !== null) {
    const parent = await m.DocumentNode.findById(parentId, { trashedAt: 1 }).lean();
    if (parent === null || parent.trashedAt !== null) parentId = null;
  }
  const clear = { trashedAt: null, trashedBy: null, trashedWith: null };
  await m.DocumentNode.updateMany({ trashedWith: node._id }, { $set: clear });
  const updated = await m.DocumentNode.findByIdAndUpdate(
    node._id,
    { $set: { ...clear, parentId, updatedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<DocumentNodeRecord>();
  if (updated === null) return refuse('not-found');
  return ok(nodeView(updated));
}

/** The space's tree as a flat list (each node names its parent), folders first, then by title. */
export async function listTree(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<DocumentNodeView[]>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.document.read');
  if (!gate.ok) return gate;
  const nodes = await models(conn)
    .DocumentNode.find({ spaceId: gate.value.space._id, trashedAt: null })
    .lean<DocumentNodeRecord[]>();
  return ok(nodes.map(nodeView).sort(byFolderThenTitle));
}

/** What was put in the trash (not what went with a folder: that is listed under the folder), newest first. */
export async function listTrash(
  conn: Connection,
  actor: Actor,
  spaceId: string,
): Promise<SpaceResult<TrashedNodeView[]>> {
  const gate = await authorizeSpace(conn, actor, spaceId, 'space.document.read');
  if (!gate.ok) return gate;
  const nodes = await models(conn)
    .DocumentNode.find({ spaceId: gate.value.space._id, trashedAt: { $ne: null }, trashedWith: null })
    .sort({ trashedAt: -1 })
    .lean<DocumentNodeRecord[]>();
  return ok(
    nodes.map((n) => {
      const trashedAt = n.trashedAt ?? new Date(0);
      return {
        ...nodeView(n),
        trashedAt,
        purgeAt: new Date(trashedAt.getTime() + TRASH_RETENTION_DAYS * DAY_MS),
      };
    }),
  );
}

/** One document with its space's title and the asker's role (for the document page). */
export async function getDocument(
  conn: Connection,
  actor: Actor,
  documentId: string,
): Promise<SpaceResult<DocumentView>> {
  const found = await authorizeNode(conn, actor, documentId, 'space.document.read', false);
  if (!found.ok) return found;
  const { node, gate } = found.value;
  if (node.type !== 'document') return refuse('not-found');
  if (gate.role === null) return refuse('not-found');
  return ok({
    ...nodeView(node),
    type: 'document',
    spaceTitle: gate.space.title,
    archived: gate.space.archivedAt !== null,
    role: gate.role,
  });
}

function byFolderThenTitle(a: DocumentNodeView, b: DocumentNodeView): number {
  if (a.type !== b.type) return a.type === 'folder' ? -1 : 1;
  return a.title.localeCompare(b.title) || a.id.localeCompare(b.id);
}

async function localeOf(conn: Connection, userId: string): Promise<Locale> {
  const id = objectIdOrNull(userId);
  const user = id === null ? null : await models(conn).User.findById(id, { locale: 1 }).lean();
  return user?.locale ?? 'en';
}

/** Throws when `update` is not a Yjs update that applies to an empty document. */
function assertValidUpdate(update: Uint8Array): void {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
  } catch (error) {
    throw new TypeError('initialState is not a valid Yjs update', { cause: error });
  } finally {
    doc.destroy();
  }
}
