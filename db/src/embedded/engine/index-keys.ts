/**
 * Index keys: which keys a document produces for an index, and their canonical encoding as text.
 *
 * The encoding gives the same text to values MongoDB treats as equal (1, 1.0, Long(1) and Decimal128("1.0");
 * null and missing) and different text otherwise, and its text order (SQLite compares TEXT bytewise) is
 * MongoDB's order for scalars: a letter for the type bracket (MinKey A < null B < numbers C < strings D <
 * objects E < arrays F < BinData G < ObjectId H < bool I < Date J < Timestamp K < RegExp L < code M < MaxKey Z),
 * then an order-preserving form of the value. Index scans can therefore answer equality, ranges and sorts.
 * Objects and arrays are encoded for equality only (their order inside the bracket is not MongoDB's).
 * Compound keys join field encodings with U+0001, which never occurs inside an encoded value.
 */
import type { Code, ObjectId, Timestamp } from 'bson';
import { Binary, BSONRegExp, Decimal128, type Document } from 'bson';
import { valuesAtPath } from './paths';
import { CanonicalBinary, isPlainDocument, kindOf, toJsNumber, entriesOf } from './values';
import { Int32, Long } from 'bson';

/** Upper bound of keys one document may produce for one index (a guard against huge multikey products). */
const MAX_KEYS_PER_DOC = 10_000;

export const KEY_SEPARATOR = '\u0001';
const EXPONENT_BIAS = 50000;

/** Decimal text of a numeric value: exact for integers, Long and Decimal128, shortest round-trip for doubles. */
function decimalText(v: unknown): string {
  if (v instanceof Long) return v.toString();
  if (v instanceof Int32) return String(v.value);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Decimal128) return v.toString();
  return String(toJsNumber(v));
}

/**
 * Numbers as sign class, biased exponent and significant digits: NaN (C0) < -Infinity (C1) < negatives (C2,
 * exponent and digits complemented, '~'-terminated so that longer magnitudes sort lower) < zero (C3) <
 * positives (C4) < +Infinity (C5).
 */
function encodeNumber(v: unknown): string {
  const text = decimalText(v);
  if (/nan/i.test(text)) return 'C0';
  if (/inf/i.test(text)) return text.startsWith('-') ? 'C1' : 'C5';
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return `C?${text}`;
  const negative = m[1] === '-';
  const intPart = m[2] ?? '';
  let digits = intPart + (m[3] ?? '');
  let exponent = intPart.length + Number(m[4] ?? '0');
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  exponent -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return 'C3';
  const biased = exponent + EXPONENT_BIAS;
  if (!negative) return `C4${String(biased).padStart(5, '0')}${digits}`;
  const complement = digits.replace(/\d/g, (d) => String(9 - Number(d)));
  return `C2${String(2 * EXPONENT_BIAS - biased).padStart(5, '0')}${complement}~`;
}

/** Strings keep their order; the three lowest code points are escaped so U+0001 stays a pure separator. */
function encodeString(s: string): string {
  if (!s.includes('\u0000') && !s.includes('\u0001') && !s.includes('\u0002')) return `D${s}`;
  let out = 'D';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c <= 2 ? `\u0002${String.fromCharCode(c + 0x30)}` : s[i];
  }
  return out;
}

/** Dates encode with a fixed width so that text order is time order (the TTL monitor scans a key range). */
export function encodeDate(ms: number): string {
  return `J${String(ms + 8.64e15).padStart(17, '0')}`;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Canonical text of one BSON value (`nested`: inside an object or array, where strings are quoted). */
export function encodeValue(v: unknown, nested = false): string {
  switch (kindOf(v)) {
    case 'missing':
    case 'null':
      return 'B';
    case 'minKey':
      return 'A';
    case 'maxKey':
      return 'Z';
    case 'number':
      return encodeNumber(v);
    case 'string':
      return nested ? `D${JSON.stringify(String(v))}` : encodeString(String(v));
    case 'bool':
      return v ? 'I1' : 'I0';
    case 'date':
      return encodeDate((v as Date).getTime());
    case 'objectId':
      return `H${(v as ObjectId).toHexString()}`;
    case 'timestamp':
      return `K${(v as Timestamp).toBigInt().toString().padStart(20, '0')}`;
    case 'binData': {
      const b =
        v instanceof CanonicalBinary ? v.binary : v instanceof Binary ? v : new Binary(v as Uint8Array);
      const bytes = b.value();
      return `G${String(bytes.length).padStart(10, '0')}${String(b.sub_type).padStart(3, '0')}${hex(bytes)}`;
    }
    case 'regex': {
      const r = v as BSONRegExp | RegExp;
      const [pattern, flags] = r instanceof BSONRegExp ? [r.pattern, r.options] : [r.source, r.flags];
      return `L${JSON.stringify(pattern)}${flags}`;
    }
    case 'code':
      return `M${JSON.stringify((v as Code).code)}`;
    case 'array':
      return `F[${(v as unknown[]).map((x) => encodeValue(x, true)).join(',')}]`;
    case 'object':
      return `E{${entriesOf(v as Document)
        .map(([k, x]) => `${JSON.stringify(k)}:${encodeValue(x, true)}`)
        .join(',')}}`;
  }
}

/** The first and the after-last key of the type bracket an encoded value belongs to. */
export function bracketOf(encoded: string): [string, string] {
  const letter = encoded.charCodeAt(0);
  return [String.fromCharCode(letter), String.fromCharCode(letter + 1)];
}

/** The encoded key of a compound index entry from one value per indexed field. */
export function encodeKey(values: unknown[]): string {
  return values.length === 1 ? encodeValue(values[0]) : values.map((v) => encodeValue(v)).join(KEY_SEPARATOR);
}

/**
 * The values a document contributes for one indexed field: each element of an array (multikey), null when
 * the field is missing, `undefined` for an empty array (MongoDB indexes it as undefined).
 */
export function fieldKeyValues(doc: Document, field: string): { values: unknown[]; present: boolean } {
  const found = valuesAtPath(doc, field);
  if (found.length === 0) return { values: [null], present: false };
  const values: unknown[] = [];
  for (const v of found) {
    if (Array.isArray(v)) {
      if (v.length === 0) values.push([]);
      else values.push(...(v as unknown[]));
    } else values.push(v);
  }
  return { values, present: true };
}

export interface DocumentKey {
  key: string;
  /** The field values of this key, for duplicate key messages (`keyValue`). */
  values: unknown[];
}

/**
 * All distinct keys a document produces for an index with the given key pattern, or `null` when a sparse
 * index skips the document (every indexed field missing).
 */
export function documentKeys(doc: Document, fields: string[], sparse: boolean): DocumentKey[] | null {
  const perField = fields.map((f) => fieldKeyValues(doc, f));
  if (sparse && perField.every((p) => !p.present)) return null;
  let combos: unknown[][] = [[]];
  for (const p of perField) {
    const next: unknown[][] = [];
    for (const combo of combos) {
      for (const v of p.values) {
        next.push([...combo, v]);
        if (next.length > MAX_KEYS_PER_DOC) break;
      }
    }
    combos = next;
  }
  const seen = new Map<string, DocumentKey>();
  for (const values of combos) {
    const key = encodeKey(values);
    if (!seen.has(key)) seen.set(key, { key, values });
  }
  return [...seen.values()];
}

export function isIndexableObject(v: unknown): boolean {
  return isPlainDocument(v);
}
