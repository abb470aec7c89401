/** The signed-in home: my spaces, the documents I opened last, and what others changed since I looked. */
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';
import { objectIdOrNull, rolesOf } from './access.js';
import type { DocumentNodeRecord } from './models/document-node.js';
import type { SpaceRecord } from './models/space.js';
import { spaceView, type SpaceView } from './spaces.js';

export interface HomeDocument {
  id: string;
  title: string;
  spaceId: string;
  spaceTitle: string;
  lastEditedAt: Date | null;
  /** The last editor's id and name (null when unknown or never edited). */
  lastEditedBy: { id: string; name: string } | null;
  /** When this person last opened it (null: never). */
  openedAt: Date | null;
}

export interface Home {
  spaces: SpaceView[];
  recentDocuments: HomeDocument[];
  /** Documents someone else edited after this person last opened them (or lately, if never opened). */
  changesSinceLastVisit: HomeDocument[];
}

const RECENT_LIMIT = 10;
const CHANGES_LIMIT = 20;
/** Documents a person never opened count as changes only when edited this recently. */
const UNOPENED_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

export async function homeFor(conn: Connection, userId: string, now: Date = new Date()): Promise<Home> {
  const m = models(conn);
  const user = objectIdOrNull(userId);
  const roles = await rolesOf(conn, userId);
  if (user === null || roles.size === 0)
    return { spaces: [], recentDocuments: [], changesSinceLastVisit: [] };
  const spaceIds = [...roles.keys()];
  const spaceRecords = await m.Space.find({ _id: { $in: spaceIds } })
    .sort({ updatedAt: -1, _id: -1 })
    .lean<SpaceRecord[]>();
  const spaces = spaceRecords.map((s) => spaceView(s, roles.get(s._id.toHexString()) ?? null));
  const titleOf = new Map(spaces.map((s) => [s.id, s.title]));

  const opens = await m.DocumentOpen.find({ userId: user, spaceId: { $in: spaceIds } })
    .sort({ openedAt: -1 })
    .lean();
  const openedAt = new Map(opens.map((o) => [o.documentId.toHexString(), o.openedAt]));

  const recentIds = opens.slice(0, RECENT_LIMIT * 3).map((o) => o.documentId);
  const edited = await m.DocumentNode.find({
    spaceId: { $in: spaceIds },
    type: 'document',
    trashedAt: null,
    lastEditedAt: { $gte: new Date(Math.min(now.getTime() - UNOPENED_WINDOW_MS, oldest(opens))) },
  })
    .sort({ lastEditedAt: -1 })
    .limit(500)
    .lean<DocumentNodeRecord[]>();
  const recentNodes = await m.DocumentNode.find({ _id: { $in: recentIds }, trashedAt: null }).lean<
    DocumentNodeRecord[]
  >();

  const changed = edited.filter((d) => {
    const editedAt = d.lastEditedAt;
    if (!editedAt || d.lastEditedBy?.equals(user) === true) return false;
    const seen = openedAt.get(d._id.toHexString());
    return seen === undefined ? now.getTime() - editedAt.getTime() <= UNOPENED_WINDOW_MS : editedAt > seen;
  });
  const editorIds = [...recentNodes, ...changed].flatMap((d) => (d.lastEditedBy ? [d.lastEditedBy] : []));
  const editors = await m.User.find({ _id: { $in: editorIds } }, { name: 1 }).lean();
  const nameOf = new Map(editors.map((e) => [e._id.toHexString(), e.name]));

  const view = (d: DocumentNodeRecord): HomeDocument => {
    const id = d._id.toHexString();
    const by = d.lastEditedBy?.toHexString();
    return {
      id,
      title: d.title,
      spaceId: d.spaceId.toHexString(),
      spaceTitle: titleOf.get(d.spaceId.toHexString()) ?? '',
      lastEditedAt: d.lastEditedAt ?? null,
      lastEditedBy: by === undefined ? null : { id: by, name: nameOf.get(by) ?? '' },
      openedAt: openedAt.get(id) ?? null,
    };
  };
  const recentDocuments = recentNodes
    .map(view)
    .sort((a, b) => (b.openedAt?.getTime() ?? 0) - (a.openedAt?.getTime() ?? 0))
    .slice(0, RECENT_LIMIT);
  return { spaces, recentDocuments, changesSinceLastVisit: changed.slice(0, CHANGES_LIMIT).map(view) };
}

function oldest(opens: { openedAt: Date }[]): number {
  const last = opens.at(-1);
  return last === undefined ? Number.POSITIVE_INFINITY : last.openedAt.getTime();
}
