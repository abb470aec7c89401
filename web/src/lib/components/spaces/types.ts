/**
 * What the space pages show, as plain data the server load functions hand to the components. Kept apart
 * from the services' own types so that a page's markup depends only on what it displays.
 */
import type { DocumentNodeType, SpaceKind, SpaceRole } from '@cope/domain';

/** A space as its member sees it. */
export interface SpaceDetails {
  id: string;
  title: string;
  description: string;
  kind: SpaceKind;
  countries: string[];
  languages: string[];
  archived: boolean;
  role: SpaceRole;
}

export interface SpaceSummary {
  id: string;
  title: string;
  kind: SpaceKind;
  /** The person's role; null for staff running a space they are not in. */
  role: SpaceRole | null;
  lastActivityAt: Date | null;
  archived: boolean;
}

export interface RecentDocument {
  id: string;
  spaceId: string;
  spaceTitle: string;
  title: string;
  openedAt: Date;
}

export interface DocumentChange {
  id: string;
  spaceId: string;
  spaceTitle: string;
  title: string;
  editedAt: Date;
  /** Names of the other people who edited it since the person last opened it. */
  editors: string[];
}

export interface TreeNode {
  id: string;
  type: DocumentNodeType;
  title: string;
  parentId: string | null;
  updatedAt: Date;
  children: TreeNode[];
}

/** A folder a document or folder can go into, with its depth for indenting its name in a list. */
export interface FolderChoice {
  id: string;
  title: string;
  depth: number;
}

export interface TrashItem {
  id: string;
  type: DocumentNodeType;
  title: string;
  trashedAt: Date;
  /** Whole days before it is removed for good (0: within the day). */
  daysLeft: number;
}

export interface MemberRow {
  /** The membership's member: a person or a whole organisation. */
  type: 'person' | 'organisation';
  id: string;
  name: string;
  email: string | null;
  role: SpaceRole;
  isYou: boolean;
}

/** What the signed-in person may do in the space, decided on the server through `can()`. */
export interface SpacePermissions {
  createDocuments: boolean;
  editDocuments: boolean;
  deleteDocuments: boolean;
  restoreDocuments: boolean;
  manageMembers: boolean;
  archive: boolean;
  restore: boolean;
  leave: boolean;
}
