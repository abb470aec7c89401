/**
 * Query filters (through mingo on the canonical view) and sorts (MongoDB's cross-type order on exact values).
 */
import { Query } from 'mingo';
import type { Document } from 'bson';
import { toCanonical } from './canonical';
import { badValue } from './errors';
import { MongoServerError } from './types';
import { valuesAtPath } from './paths';
import { extractTypeChecks } from './exact-conditions';
import { compareValues, isPlainDocument, toJsNumber, entriesOf } from './values';

/** Server-side JavaScript is never run by the embedded server. */
const SCRIPT_OPERATORS = new Set(['$where', '$function', '$accumulator']);

export const MINGO_OPTIONS = { scriptEnabled: false, useStrictMode: true } as const;

/** Throws BadValue when any server-side JavaScript operator appears anywhere in `spec`. */
export function refuseScripts(spec: unknown): void {
  if (Array.isArray(spec)) {
    for (const x of spec) refuseScripts(x);
    return;
  }
  if (!isPlainDocument(spec)) return;
  for (const [k, v] of entriesOf(spec)) {
    if (SCRIPT_OPERATORS.has(k)) {
      throw badValue(`${k} is not allowed: the embedded server does not run server-side JavaScript`);
    }
    refuseScripts(v);
  }
}

/** Rewrites mingo's messages for unknown operators into MongoDB's. */
export function translateMingoError(err: unknown): MongoServerError {
  if (err instanceof MongoServerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  let m = /unknown query operator (\$\w+)/.exec(message);
  if (m) return badValue(`unknown operator: ${m[1]}`);
  m = /unknown top level operator:? (\$\w+)/.exec(message);
  if (m)
    return badValue(
      `unknown top level operator: ${m[1]}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
    );
  m = /accumulator '(\$\w+)' is not registered/.exec(message);
  if (m) {
    return new MongoServerError(168, 'InvalidPipelineOperator', `Unrecognized expression '${m[1]}'`);
  }
  m = /unregistered pipeline operator (\$\w+)/.exec(message);
  if (m) return new MongoServerError(40324, 'Location40324', `Unrecognized pipeline stage name: '${m[1]}'`);
  return badValue(message);
}

export interface CompiledFilter {
  /** True when the filter matches everything (no need to decode for matching). */
  readonly matchesAll: boolean;
  test(doc: Document): boolean;
}

export function compileFilter(filter: Document | undefined): CompiledFilter {
  if (filter !== undefined && !isPlainDocument(filter)) throw badValue('filter must be an object');
  const f = filter ?? {};
  if (Object.keys(f).length === 0) {
    return { matchesAll: true, test: () => true };
  }
  refuseScripts(f);
  const { rest, checks } = extractTypeChecks(f);
  let query: Query;
  try {
    query = new Query(toCanonical(rest) as Document, MINGO_OPTIONS);
  } catch (err) {
    throw translateMingoError(err);
  }
  return {
    matchesAll: false,
    test: (doc) => {
      if (!checks.every((check) => check(doc))) return false;
      try {
        return query.test(toCanonical(doc) as Document);
      } catch (err) {
        throw translateMingoError(err);
      }
    },
  };
}

export interface SortField {
  path: string;
  direction: 1 | -1;
}

export function parseSort(sort: Document | undefined): SortField[] {
  if (sort === undefined || sort === null) return [];
  if (!isPlainDocument(sort)) throw badValue('sort must be an object');
  const out: SortField[] = [];
  for (const [path, dir] of entriesOf(sort)) {
    if (isPlainDocument(dir)) continue; // { $meta: ... }: no text scores here, keep natural order
    const n = toJsNumber(dir);
    if (n !== 1 && n !== -1)
      throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    out.push({ path, direction: n });
  }
  return out;
}

/**
 * The value a document sorts by on one field: with arrays MongoDB uses the smallest element for an
 * ascending sort and the largest for a descending one; a missing field sorts as null.
 */
function sortKey(doc: unknown, field: SortField): unknown {
  const found = valuesAtPath(doc, field.path);
  const flat: unknown[] = [];
  for (const v of found) {
    if (Array.isArray(v)) {
      if (v.length === 0) flat.push(undefined);
      else flat.push(...(v as unknown[]));
    } else flat.push(v);
  }
  if (flat.length === 0) return null;
  let best = flat[0];
  for (const v of flat) {
    const d = compareValues(v, best);
    if (field.direction === 1 ? d < 0 : d > 0) best = v;
  }
  return best;
}

/** Sorts in place (stable: ties keep natural order). */
export function sortDocuments<T>(items: T[], fields: SortField[], docOf: (item: T) => unknown): T[] {
  if (fields.length === 0) return items;
  const keyed = items.map((item, i) => ({ item, i, keys: fields.map((f) => sortKey(docOf(item), f)) }));
  keyed.sort((a, b) => {
    for (let j = 0; j < fields.length; j++) {
      const d = compareValues(a.keys[j], b.keys[j]);
      if (d !== 0) return d * (fields[j]?.direction ?? 1);
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.item);
}
