/**
 * Restoring a version: the live document's rich text is replaced by the version's in one transaction, as a
 * new change (copies of the version's Y.XmlElement / Y.XmlText trees, with attributes and formatting), so
 * everyone connected receives it like any edit and the history before it stays intact. No rewinding.
 */
import * as Y from 'yjs';

/** The rich text's shared type (Tiptap Collaboration's default field). */
export const CONTENT_FIELD = 'default';

/** Replaces `target`'s content field with `versionState`'s; call inside the target's transaction. */
export function replaceContent(target: Y.Doc, versionState: Uint8Array): void {
  const source = new Y.Doc({ gc: true });
  try {
    Y.applyUpdate(source, versionState);
    const from = source.getXmlFragment(CONTENT_FIELD);
    const to = target.getXmlFragment(CONTENT_FIELD);
    if (to.length > 0) to.delete(0, to.length);
    // clone() makes unattached copies (elements with attributes and children, text with its formatting).
    const copies = from
      .toArray()
      .map((node) => node.clone())
      // Tiptap writes only elements and text; anything else (an XmlHook) has no place in the editor.
      .filter(
        (node): node is Y.XmlElement | Y.XmlText => node instanceof Y.XmlElement || node instanceof Y.XmlText,
      );
    if (copies.length > 0) to.insert(0, copies);
  } finally {
    source.destroy();
  }
}
