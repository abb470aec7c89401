/** Reading dotted paths through documents and arrays the way MongoDB resolves them for queries and indexes. */
import type { Document } from 'bson';
import { isPlainDocument } from './values';

const INDEX_PART = /^\d+$/;

/**
 * Every value reached by a dotted path: through embedded documents, into each document of an array
 * ("a.b" on `{a: [{b: 1}, {b: 2}]}` gives 1 and 2), and by position ("a.0"). Terminal arrays are returned
 * as arrays; missing paths contribute nothing.
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (value !== undefined) out.push(value);
    return;
  }
  const part = parts[i] ?? '';
  if (Array.isArray(value)) {
    if (INDEX_PART.test(part)) collect(value[Number(part)], parts, i + 1, out);
    for (const el of value) {
      if (isPlainDocument(el)) collect(el, parts, i, out);
    }
    return;
  }
  if (isPlainDocument(value)) {
    collect(value[part], parts, i + 1, out);
  }
}

/** The single value at a path without array traversal (used for `_id` and update targets). */
export function getDirect(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) && INDEX_PART.test(part)) cur = cur[Number(part)];
    else if (isPlainDocument(cur)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

/** Sets a value at a dotted path, creating embedded documents along the way (used for upsert seeds). */
export function setDirect(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const next = cur[part] as unknown;
    if (isPlainDocument(next)) cur = next;
    else {
      const created: Document = {};
      cur[part] = created;
      cur = created;
    }
  }
  cur[parts[parts.length - 1] ?? ''] = value;
}
