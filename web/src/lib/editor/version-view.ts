/**
 * A past version of a document, shown read-only in its own editor: no collaboration, no provider, only the
 * version's content (read from its Yjs state with the same schema as the live editor). Browser only.
 */
import { Editor } from '@tiptap/core';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { contentExtensions, DOCUMENT_FIELD } from './schema';

export function showVersion(element: HTMLElement, state: Uint8Array, label: string): Editor {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, state);
  const content = yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(DOCUMENT_FIELD));
  ydoc.destroy();
  return new Editor({
    element,
    editable: false,
    extensions: contentExtensions(),
    content: (content as { content?: unknown[] }).content?.length ? content : null,
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-readonly': 'true',
        'aria-label': label,
        class: 'document-text',
      },
    },
  });
}
