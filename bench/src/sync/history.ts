/**
 * A document's edit history for the benchmark: `edits` single-character edits (mostly typing, some
 * deletions, at moving positions, as a person writes), one Yjs update each. Deterministic.
 */
import * as Y from 'yjs';

export function historyUpdates(edits: number): Uint8Array[] {
  const doc = new Y.Doc();
  const text = doc.getText('body');
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  let cursor = 0;
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < edits; i++) {
    if (random() < 0.02) cursor = Math.floor(random() * (text.length + 1));
    if (random() < 0.1 && cursor > 0) {
      text.delete(cursor - 1, 1);
      cursor--;
    } else {
      text.insert(cursor, 'abcdefghij'[i % 10] ?? 'a');
      cursor++;
    }
  }
  doc.destroy();
  return updates;
}

/** The full state of the same history, as one update (what a client holding the document would send). */
export function historyState(edits: number): Uint8Array {
  const doc = new Y.Doc();
  for (const update of historyUpdates(edits)) Y.applyUpdate(doc, update);
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
