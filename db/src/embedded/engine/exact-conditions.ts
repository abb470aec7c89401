/**
 * Conditions the engine evaluates itself on exact documents rather than through mingo:
 * - `$type`: the canonical view mingo sees has lost the difference between Int32, Long, Double, Decimal128;
 * - equality with `null` on a dotted path: MongoDB also matches when an array element along the path lacks
 *   the field (`{'a.b': null}` matches `{a: [{b: 1}, {}]}`), mingo does not;
 * - equality with an embedded document: MongoDB compares field order too, mingo does not.
 */
import { Binary, BSONSymbol, Decimal128, Double, Int32, Long, Timestamp, type Document } from 'bson';
import { badValue } from './errors';
import { valuesAtPath } from './paths';
import { compareValues, entriesOf, isPlainDocument, kindOf, toJsNumber } from './values';

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

/** MongoDB's `{path: null}`: the path is missing or null somewhere along it (through arrays of documents). */
function nullAlongPath(value: unknown, parts: string[], i: number): boolean {
  if (i === parts.length) {
    return (
      value === undefined || value === null || (Array.isArray(value) && (value as unknown[]).includes(null))
    );
  }
  if (Array.isArray(value)) {
    const part = parts[i] ?? '';
    if (/^\d+$/.test(part) && nullAlongPath((value as unknown[])[Number(part)], parts, i + 1)) return true;
    return (value as unknown[]).some((el) => isPlainDocument(el) && nullAlongPath(el, parts, i));
  }
  if (isPlainDocument(value)) return nullAlongPath(value[parts[i] ?? ''], parts, i + 1);
  return true;
}

function nullCheck(path: string, negate: boolean): TypeCheck {
  const parts = path.split('.');
  return (doc) => nullAlongPath(doc, parts, 0) !== negate;
}

/** Equality with an embedded document, field order included (also as an element of an array). */
function documentEquality(path: string, expected: Document): TypeCheck {
  return (doc) =>
    valuesAtPath(doc, path).some(
      (v) =>
        (isPlainDocument(v) && compareValues(v, expected) === 0) ||
        (Array.isArray(v) &&
          (v as unknown[]).some((el) => isPlainDocument(el) && compareValues(el, expected) === 0)),
    );
}

function isOperatorDocument(v: unknown): v is Document {
  return isPlainDocument(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));
}

/**
 * Splits the conditions above (top level and inside a top-level `$and`) out of a filter: returns the filter
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
      if (k.startsWith('$')) {
        out[k] = v;
        continue;
      }
      const dotted = k.includes('.');
      if (v === null && dotted) {
        checks.push(nullCheck(k, false));
        continue;
      }
      if (isPlainDocument(v) && !isOperatorDocument(v) && Object.keys(v).length > 0) {
        checks.push(documentEquality(k, v));
        continue;
      }
      if (isOperatorDocument(v)) {
        const remaining: Document = {};
        for (const [op, arg] of entriesOf(v)) {
          if (op === '$type') checks.push(typeCheck(k, arg));
          else if (dotted && (op === '$eq' || op === '$ne') && arg === null)
            checks.push(nullCheck(k, op === '$ne'));
          else remaining[op] = arg;
        }
        if (Object.keys(remaining).length > 0) out[k] = remaining;
        continue;
      }
      out[k] = v;
    }
    return out;
  };
  return { rest: strip(filter), checks };
}
