/**
 * The "canonical view" of a document that mingo evaluates queries and aggregations on.
 *
 * mingo works on plain JS values, so every numeric BSON type becomes a JS number (Int32, Double and Long
 * within ±2^53 exactly; larger Longs and Decimal128 approximately), BSONRegExp becomes a RegExp and BSONSymbol
 * a string. ObjectId, Binary, Timestamp, MinKey/MaxKey stay as they are: mingo compares objects of the same
 * class through `toString()`, which is exact for ObjectId (hex) and Timestamp; Binary is wrapped so that its
 * string form carries subtype and bytes.
 *
 * Stored documents are never rebuilt from the canonical view: find/update/delete return or modify the exact
 * document. Only aggregation output (and pipeline updates) are converted back with `fromCanonical`, which
 * restores values copied unchanged from an input document to their exact original type (see `restoreTypes`).
 */
import { Binary, BSONRegExp, BSONSymbol, Decimal128, Double, Int32, Long, type Document } from 'bson';
import { CanonicalBinary, isPlainDocument, valuesEqual, entriesOf } from './values';

export { CanonicalBinary };

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function toCanonical(v: unknown): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toCanonical);
  if (isPlainDocument(v)) {
    const out: Document = {};
    for (const [k, x] of entriesOf(v)) out[k] = toCanonical(x);
    return out;
  }
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Long && v.constructor === Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  if (v instanceof BSONRegExp) return bsonRegExpToJs(v);
  if (v instanceof BSONSymbol) return v.valueOf();
  if (v instanceof Binary) return new CanonicalBinary(v);
  return v;
}

export function bsonRegExpToJs(r: BSONRegExp): RegExp {
  // JS has no 'x' (extended) or 'l' (locale) flag; drop them rather than fail.
  const flags = [...new Set(r.options.split(''))].filter((f) => 'imsu'.includes(f)).join('');
  return new RegExp(r.pattern, flags);
}

/** A JS number back to BSON: Int32 when it is an int32, Long when a larger safe integer, Double otherwise. */
export function numberToBson(n: number): Int32 | Long | Double {
  if (Number.isInteger(n) && !Object.is(n, -0)) {
    if (n >= INT32_MIN && n <= INT32_MAX) return new Int32(n);
    if (Number.isSafeInteger(n)) return Long.fromNumber(n);
  }
  return new Double(n);
}

/** Converts a canonical value back to exact BSON. */
export function fromCanonical(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'number') return numberToBson(v);
  if (typeof v === 'bigint') return Long.fromBigInt(v);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromCanonical);
  if (v instanceof CanonicalBinary) return v.binary;
  if (v instanceof RegExp) return new BSONRegExp(v.source, v.flags.replace(/[gyd]/g, ''));
  if (isPlainDocument(v)) {
    const out: Document = {};
    for (const [k, x] of entriesOf(v)) {
      if (x !== undefined) out[k] = fromCanonical(x);
    }
    return out;
  }
  return v;
}

/**
 * Converts a canonical output document back to BSON, taking the exact value from `reference` (an input
 * document) wherever the output holds, at the same path, a value equal to the reference's: a field that a
 * stage passed through unchanged keeps its Double/Long/Decimal128 type instead of being re-inferred.
 */
export function restoreTypes(out: unknown, reference: unknown): unknown {
  if (reference !== undefined && valuesEqual(fromCanonical(out), reference)) {
    if (sameShape(out, reference)) return reference;
  }
  if (Array.isArray(out)) {
    const ref = Array.isArray(reference) ? reference : [];
    return out.map((x: unknown, i) => restoreTypes(x, ref[i]));
  }
  if (isPlainDocument(out)) {
    const ref = isPlainDocument(reference) ? reference : {};
    const res: Document = {};
    for (const [k, x] of entriesOf(out)) {
      if (x !== undefined) res[k] = restoreTypes(x, ref[k]);
    }
    return res;
  }
  return fromCanonical(out);
}

/** Field order matters for documents: only reuse a reference document whose keys are in the same order. */
function sameShape(out: unknown, ref: unknown): boolean {
  if (Array.isArray(out)) {
    return (
      Array.isArray(ref) && out.length === ref.length && out.every((x: unknown, i) => sameShape(x, ref[i]))
    );
  }
  if (isPlainDocument(out)) {
    if (!isPlainDocument(ref)) return false;
    const ko = Object.keys(out).filter((k) => out[k] !== undefined);
    const kr = Object.keys(ref);
    return ko.length === kr.length && ko.every((k, i) => k === kr[i] && sameShape(out[k], ref[k]));
  }
  return true;
}
