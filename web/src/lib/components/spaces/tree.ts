import type { FolderChoice, TreeNode } from './types';

export interface FlatNode {
  id: string;
  type: TreeNode['type'];
  title: string;
  parentId: string | null;
  updatedAt: Date;
  lastEditedAt?: Date | null;
}

/**
 * Builds the nested tree from the flat list the services return (each node names its parent), keeping
 * their order (folders first, then by title). A node whose parent is missing is shown at the top level
 * rather than lost.
 */
export function buildTree(flat: readonly FlatNode[]): TreeNode[] {
  const byId = new Map<string, TreeNode>();
  for (const n of flat) {
    byId.set(n.id, {
      id: n.id,
      type: n.type,
      title: n.title,
      parentId: n.parentId,
      updatedAt: n.lastEditedAt ?? n.updatedAt,
      children: [],
    });
  }
  const roots: TreeNode[] = [];
  for (const n of flat) {
    const node = byId.get(n.id);
    if (!node) continue;
    const parent = n.parentId === null ? undefined : byId.get(n.parentId);
    if (parent && parent.type === 'folder') parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Every folder in tree order with its depth, for the folder pickers. */
export function folderChoices(tree: readonly TreeNode[], depth = 0): FolderChoice[] {
  return tree.flatMap((node) =>
    node.type === 'folder'
      ? [{ id: node.id, title: node.title, depth }, ...folderChoices(node.children, depth + 1)]
      : [],
  );
}
