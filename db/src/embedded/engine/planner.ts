/**
 * Chooses how to find candidate documents for a filter: an `_id` lookup, an equality lookup on a secondary
 * index (full key or compound prefix), or a collection scan. Candidates are always re-checked against the
 * full filter, so the plan only needs to return a superset of the matching documents.
 */
import type { Document } from 'bson';
import { bracketOf, encodeValue, KEY_SEPARATOR } from './index-keys';
import { isPlainDocument, kindOf, entriesOf } from './values';

export interface IndexInfo {
  id: number;
  name: string;
  fields: string[];
  unique: boolean;
  sparse: boolean;
  partial: boolean;
  multikey: boolean;
}

export type Plan =
  | { kind: 'scan' }
  | { kind: 'id'; keys: string[] }
  | { kind: 'index'; index: IndexInfo; keys: string[]; prefix: boolean }
  /**
   * Index entries in key order between `lower` (inclusive) and `upper` (exclusive); `sorted` when this
   * order is the requested sort, so the caller need not sort and may stop after skip + limit documents.
   */
  | { kind: 'range'; index: IndexInfo; lower: string; upper: string; direction: 1 | -1; sorted: boolean };

export interface SortSpec {
  path: string;
  direction: 1 | -1;
}

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

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

/** Key bounds for range conditions on one field ($gt/$gte/$lt/$lte within one type bracket), if any. */
function rangeBounds(condition: unknown, multikey: boolean): { lower: string; upper: string } | undefined {
  if (!isPlainDocument(condition)) return undefined;
  const ops = Object.keys(condition).filter((k) => RANGE_OPERATORS.has(k));
  if (ops.length === 0) return undefined;
  let lower: string | undefined;
  let upper: string | undefined;
  let bracket: [string, string] | undefined;
  for (const op of ops) {
    const v: unknown = condition[op];
    const kind = kindOf(v);
    if (kind === 'null' || kind === 'missing' || kind === 'array' || kind === 'object' || kind === 'regex')
      return undefined;
    const key = encodeValue(v);
    const b = bracketOf(key);
    if (bracket && bracket[0] !== b[0]) return undefined;
    bracket = b;
    // On a multikey index different elements may satisfy each bound: only one bound may narrow the scan.
    if (op === '$gt' || op === '$gte') {
      if (multikey && upper !== undefined) continue;
      lower = op === '$gte' ? key : `${key}\u0002`;
    } else {
      if (multikey && lower !== undefined) continue;
      upper = op === '$lte' ? `${key}\u0002` : key;
    }
  }
  if (!bracket) return undefined;
  return { lower: lower ?? bracket[0], upper: upper ?? bracket[1] };
}

/** Conditions on one field from the top level of a filter (and a top-level `$and`). */
function conditionsOn(filter: Document, field: string): unknown[] {
  const out: unknown[] = [];
  const visit = (q: Document): void => {
    for (const [k, v] of entriesOf(q)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v as unknown[]) if (isPlainDocument(sub)) visit(sub);
      } else if (k === field) out.push(v);
    }
  };
  visit(filter);
  return out;
}

export function planQuery(filter: Document | undefined, indexes: IndexInfo[], sort: SortSpec[] = []): Plan {
  const eq = filter ? equalities(filter) : new Map<string, string[]>();
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
      best = { kind: 'index', index, keys: combos.map((c) => c.join(KEY_SEPARATOR)), prefix: !full };
    }
  }
  if (best && bestScore >= 10) return best; // a unique key: at most one document per probe
  const sortedPrefix = sortedPrefixPlan(eq, indexes, sort);
  if (sortedPrefix) return sortedPrefix;
  if (best) return best;

  // An index whose leading fields are the sort fields (all ascending or all descending) gives the order.
  const direction = sort[0]?.direction;
  if (direction !== undefined && sort.every((s) => s.direction === direction)) {
    for (const index of indexes) {
      if (index.partial || index.sparse || sort.length > index.fields.length) continue;
      if (!sort.every((s, i) => index.fields[i] === s.path)) continue;
      const bounds = filter ? boundsFor(filter, index) : undefined;
      return {
        kind: 'range',
        index,
        lower: bounds?.lower ?? '',
        upper: bounds?.upper ?? '\uffff',
        direction,
        sorted: true,
      };
    }
  }
  // Otherwise a range condition on the leading field of an index narrows the scan.
  if (filter) {
    for (const index of indexes) {
      if (index.partial) continue;
      const bounds = boundsFor(filter, index);
      if (bounds) return { kind: 'range', index, ...bounds, direction: 1, sorted: sort.length === 0 };
    }
  }
  return { kind: 'scan' };
}

/**
 * Equality on the leading fields of a compound index and a sort on the fields after them (e.g. `{channel}`
 * sorted by `{createdAt: -1}` with an index `{channel: 1, createdAt: -1}`): the entries under that key prefix
 * are already in sort order.
 */
function sortedPrefixPlan(
  eq: Map<string, string[]>,
  indexes: IndexInfo[],
  sort: SortSpec[],
): Plan | undefined {
  const direction = sort[0]?.direction;
  if (direction === undefined || !sort.every((s) => s.direction === direction)) return undefined;
  for (const index of indexes) {
    if (index.partial) continue;
    let p = 0;
    while (p < index.fields.length && (eq.get(index.fields[p] ?? '')?.length ?? 0) === 1) p++;
    if (p === 0 || p + sort.length > index.fields.length) continue;
    if (!sort.every((s, i) => index.fields[p + i] === s.path)) continue;
    const prefix = index.fields
      .slice(0, p)
      .map((f) => eq.get(f)?.[0] ?? '')
      .join(KEY_SEPARATOR);
    return {
      kind: 'range',
      index,
      lower: `${prefix}${KEY_SEPARATOR}`,
      upper: `${prefix}\u0002`,
      direction,
      sorted: true,
    };
  }
  return undefined;
}

function boundsFor(filter: Document, index: IndexInfo): { lower: string; upper: string } | undefined {
  const field = index.fields[0] ?? '';
  for (const condition of conditionsOn(filter, field)) {
    const bounds = rangeBounds(condition, index.multikey);
    if (bounds) return bounds;
  }
  return undefined;
}
