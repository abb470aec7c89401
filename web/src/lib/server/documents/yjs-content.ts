/**
 * Between the stored Yjs state of a document and its ProseMirror content, with the editor's schema.
 * The rich text lives in the Y.Doc's `default` XML fragment, written by y-tiptap in the browser; the
 * same binding reads it here, so what is exported is what people see.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSchema } from '../../editor/schema';
import type { DocJson } from './html-import';

/** The content of a document from a full Yjs update (an empty state gives an empty document). */
export function contentOfState(state: Uint8Array): ProseMirrorNode {
  const ydoc = new Y.Doc();
  try {
    Y.applyUpdate(ydoc, state);
    return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment(DOCUMENT_FIELD), documentSchema());
  } finally {
    ydoc.destroy();
  }
}

/**
 * The Yjs state (one full update) of a new document with this content. The content is checked against
 * the schema first, so nothing the editor could not show is ever stored.
 */
export function stateOfContent(json: DocJson): Uint8Array {
  const schema = documentSchema();
  schema.nodeFromJSON(json).check();
  const ydoc = prosemirrorJSONToYDoc(schema, json, DOCUMENT_FIELD);
  try {
    return Y.encodeStateAsUpdate(ydoc);
  } finally {
    ydoc.destroy();
  }
}
