/**
 * The document model shared by the browser editor and the server's export and import: one list of Tiptap
 * extensions, so a document the server builds (import, templates) is exactly what the editor can show, and
 * what the editor writes is exactly what the server can read. Node and mark names are Tiptap's defaults
 * (the contract with the sync server and the templates).
 *
 * Only content extensions live here: no collaboration, caret or history (the browser adds those), and
 * nothing that needs a DOM at import time, so the server can build the schema in Node.
 */
import { getSchema, type AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { Table, TableCell, TableHeader, TableRow } from '@tiptap/extension-table';
import type { Schema } from '@tiptap/pm/model';
import { SAFE_LINK } from './links';

/** The Y.Doc field holding the rich text (Tiptap Collaboration's default). */
export const DOCUMENT_FIELD = 'default';

/** Links may only point to these schemes: anything else (javascript:, data:) is dropped. */
export { SAFE_LINK };

export function contentExtensions(): AnyExtension[] {
  return [
    StarterKit.configure({
      // Collaboration brings its own undo (per person, over the shared document).
      undoRedo: false,
      // Not in the shared model: the contract's marks are bold, italic, strike, code and link.
      underline: false,
      link: {
        openOnClick: false,
        autolink: true,
        protocols: ['http', 'https', 'mailto'],
        isAllowedUri: (url) => SAFE_LINK.test(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null },
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
    Table.configure({ resizable: false }),
    TableRow,
    TableHeader,
    TableCell,
  ];
}

let schema: Schema | undefined;

/** The ProseMirror schema of a document (built once). */
export function documentSchema(): Schema {
  schema ??= getSchema(contentExtensions());
  return schema;
}
