/**
 * `$type` on exact BSON values. The canonical view mingo sees has lost the difference between Int32, Long,
 * Double and Decimal128, so `{f: {$type: ...}}` conditions are taken out of the filter and evaluated here.
 */
import { Binary, BSONSymbol, Decimal128, Double, Int32, Long, Timestamp, type Document } from 'bson';
import { badValue } from './errors';
import { valuesAtPath } from './paths';
import { entriesOf, isPlainDocument, kindOf, toJsNumber } from './values';

const ALIASES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};

/** The BSON type number of an exact value (as `$type` reports it). */
export function bsonTypeNumber(v: unknown): number | undefined {
  if (v instanceof Int32) return 16;
  if (v instanceof Double) return 1;
  if (v instanceof Decimal128) return 19;
  if (v instanceof Timestamp) return 17;
  if (v instanceof Long) return 18;
  if (v instanceof BSONSymbol) return 14;
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= 2147483647 ? 16 : 1;
  if (typeof v === 'bigint') return 18;
  if (v instanceof Binary) return 5;
  switch (kindOf(v)) {
    case 'missing':
      return undefined;
    case 'null':
      return 10;
    case 'string':
      return 2;
    case 'object':
      return 3;
    case 'array':
      return 4;
    case 'binData':
      return 5;
    case 'objectId':
      return 7;
    case 'bool':
      return 8;
    case 'date':
      return 9;
    case 'regex':
      return 11;
    case 'code':
      return 13;
    case 'minKey':
      return -1;
    case 'maxKey':
      return 127;
    default:
      return undefined;
  }
}

/** Parses a `$type` argument into a predicate on type numbers ('number' matches all numeric types). */
function parseTypes(spec: unknown): (n: number) => boolean {
  const list = Array.isArray(spec) ? (spec as unknown[]) : [spec];
  if (list.length === 0) throw badValue('$type must match at least one type');
  const wanted = new Set<number>();
  for (const t of list) {
    if (typeof t === 'string') {
      if (t === 'number') {
        for (const n of [1, 16, 18, 19]) wanted.add(n);
        continue;
      }
      const n = ALIASES[t];
      if (n === undefined) throw badValue(`Unknown type name alias: ${t}`);
      wanted.add(n);
    } else {
      const n = toJsNumber(t);
      if (!Number.isInteger(n)) throw badValue(`Invalid numerical type code: ${String(n)}`);
      wanted.add(n);
    }
  }
  return (n) => wanted.has(n);
}

export type TypeCheck = (doc: Document) => boolean;

/** Whether any value at `path` (or any element of an array there) has one of the wanted types. */
function typeCheck(path: string, spec: unknown): TypeCheck {
  const wanted = parseTypes(spec);
  return (doc) =>
    valuesAtPath(doc, path).some((v) => {
      const t = bsonTypeNumber(v);
      if (t !== undefined && wanted(t)) return true;
      return Array.isArray(v) && (v as unknown[]).some((el) => wanted(bsonTypeNumber(el) ?? -2));
    });
}

/**
 * Splits `$type` conditions (top level and inside a top-level `$and`) out of a filter: returns the filter
 * without them and the checks to run on the exact document.
 */
export function extractTypeChecks(filter: Document): { rest: Document; checks: TypeCheck[] } {
  const checks: TypeCheck[] = [];
  const strip = (q: Document): Document => {
    const out: Document = {};
    for (const [k, v] of entriesOf(q)) {
      if (k === '$and' && Array.isArray(v)) {
        out[k] = (v as unknown[]).map((sub) => (isPlainDocument(sub) ? strip(sub) : sub));
        continue;
      }
      if (!k.startsWith('$') && isPlainDocument(v) && '$type' in v) {
        checks.push(typeCheck(k, v.$type));
        const remaining: Document = {};
        for (const [op, arg] of entriesOf(v)) if (op !== '$type') remaining[op] = arg;
        if (Object.keys(remaining).length > 0) out[k] = remaining;
        continue;
      }
      out[k] = v;
    }
    return out;
  };
  return { rest: strip(filter), checks };
}
