/**
 * Chooses how to find candidate documents for a filter: an `_id` lookup, an equality lookup on a secondary
 * index (full key or compound prefix), or a collection scan. Candidates are always re-checked against the
 * full filter, so the plan only needs to return a superset of the matching documents.
 */
import type { Document } from 'bson';
import { encodeValue } from './index-keys';
import { isPlainDocument, kindOf, entriesOf } from './values';

export interface IndexInfo {
  id: number;
  name: string;
  fields: string[];
  unique: boolean;
  sparse: boolean;
  partial: boolean;
}

export type Plan =
  | { kind: 'scan' }
  | { kind: 'id'; keys: string[] }
  | { kind: 'index'; index: IndexInfo; keys: string[]; prefix: boolean };

/** Upper bound on the number of keys one lookup may probe before a scan is cheaper to reason about. */
const MAX_PROBES = 1000;

/**
 * The encoded keys under which a document matching `condition` on one field must appear, or undefined when
 * the condition is not a plain equality an index can answer.
 */
function equalityKeys(condition: unknown): string[] | undefined {
  if (isPlainDocument(condition)) {
    const ops = Object.keys(condition);
    if (ops.length === 0 || !ops.every((k) => k.startsWith('$'))) return valueKeys(condition);
    if (ops.length === 1 && ops[0] === '$eq') return valueKeys(condition.$eq);
    if (ops.length === 1 && ops[0] === '$in' && Array.isArray(condition.$in)) {
      const keys = new Set<string>();
      for (const v of condition.$in as unknown[]) {
        const k = valueKeys(v);
        if (!k) return undefined;
        for (const x of k) keys.add(x);
      }
      return [...keys];
    }
    return undefined;
  }
  return valueKeys(condition);
}

function valueKeys(v: unknown): string[] | undefined {
  const kind = kindOf(v);
  // null also matches documents where the path is missing inside arrays; regexes match by pattern.
  if (kind === 'null' || kind === 'missing' || kind === 'regex') return undefined;
  if (kind === 'array') {
    const arr = v as unknown[];
    // An array matches itself as a whole value or as an element of an outer array.
    return [encodeValue(arr.length > 0 ? arr[0] : []), encodeValue(arr)];
  }
  return [encodeValue(v)];
}

/** Top-level equality conditions of a filter (including those inside a top-level `$and`). */
function equalities(filter: Document): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const visit = (q: Document): void => {
    for (const [k, v] of entriesOf(q)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v as unknown[]) if (isPlainDocument(sub)) visit(sub);
        continue;
      }
      if (k.startsWith('$')) continue;
      const keys = equalityKeys(v);
      if (keys && !out.has(k)) out.set(k, keys);
    }
  };
  visit(filter);
  return out;
}

export function planQuery(filter: Document | undefined, indexes: IndexInfo[]): Plan {
  if (!filter) return { kind: 'scan' };
  const eq = equalities(filter);
  const idKeys = eq.get('_id');
  if (idKeys) return { kind: 'id', keys: idKeys };
  let best: Plan | undefined;
  let bestScore = 0;
  for (const index of indexes) {
    if (index.partial) continue;
    let prefixLength = 0;
    while (prefixLength < index.fields.length && eq.has(index.fields[prefixLength] ?? '')) prefixLength++;
    if (prefixLength === 0) continue;
    let combos: string[][] = [[]];
    for (let i = 0; i < prefixLength; i++) {
      const keys = eq.get(index.fields[i] ?? '') ?? [];
      combos = combos.flatMap((c) => keys.map((k) => [...c, k]));
      if (combos.length > MAX_PROBES) break;
    }
    if (combos.length > MAX_PROBES) continue;
    const full = prefixLength === index.fields.length;
    const score = prefixLength * 2 + (full ? 1 : 0) + (full && index.unique ? 10 : 0);
    if (score > bestScore) {
      bestScore = score;
      best = { kind: 'index', index, keys: combos.map((c) => c.join('\u0001')), prefix: !full };
    }
  }
  return best ?? { kind: 'scan' };
}
