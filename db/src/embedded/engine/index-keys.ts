/**
 * Index keys: which keys a document produces for an index, and their canonical encoding as text.
 *
 * The encoding is used for equality only (index lookups and uniqueness), so it must give the same text to
 * values MongoDB treats as equal and different text otherwise: 1, 1.0, Long(1) and Decimal128("1") all encode
 * as `n1`; -0 as `n0`; null and missing as `z`. Range scans and sorts are done on decoded documents.
 */
import type { Code, ObjectId, Timestamp } from 'bson';
import { Binary, BSONRegExp, Decimal128, type Document } from 'bson';
import { valuesAtPath } from './paths';
import { CanonicalBinary, isPlainDocument, kindOf, toExactBigInt, toJsNumber, entriesOf } from './values';

/** Upper bound of keys one document may produce for one index (a guard against huge multikey products). */
const MAX_KEYS_PER_DOC = 10_000;

function encodeNumber(v: unknown): string {
  const big = toExactBigInt(v);
  if (big !== undefined) return `n${big.toString()}`;
  if (v instanceof Decimal128) {
    const s = v.toString();
    if (s === 'NaN' || s === '-NaN') return 'nNaN';
    if (/^-?Inf/.test(s)) return s.startsWith('-') ? 'n-Infinity' : 'nInfinity';
    const n = Number(s);
    // A Decimal128 equal to a double's shortest representation matches it; otherwise keep the exact text.
    return String(n) === normaliseDecimal(s) ? `n${String(n)}` : `n${normaliseDecimal(s)}`;
  }
  const n = toJsNumber(v);
  return `n${String(n)}`;
}

function normaliseDecimal(s: string): string {
  if (!s.includes('.') || /e/i.test(s)) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** Dates encode with a fixed width so that text order is time order (the TTL monitor scans a key range). */
export function encodeDate(ms: number): string {
  return `d${String(ms + 8.64e15).padStart(17, '0')}`;
}

/** Canonical text of one BSON value. */
export function encodeValue(v: unknown): string {
  switch (kindOf(v)) {
    case 'missing':
    case 'null':
      return 'z';
    case 'minKey':
      return 'm';
    case 'maxKey':
      return 'M';
    case 'number':
      return encodeNumber(v);
    case 'string':
      return `s${JSON.stringify(String(v))}`;
    case 'bool':
      return v ? 'b1' : 'b0';
    case 'date':
      return encodeDate((v as Date).getTime());
    case 'objectId':
      return `o${(v as ObjectId).toHexString()}`;
    case 'timestamp':
      return `t${(v as Timestamp).toBigInt().toString()}`;
    case 'binData': {
      const b =
        v instanceof CanonicalBinary ? v.binary : v instanceof Binary ? v : new Binary(v as Uint8Array);
      return `x${b.sub_type}:${Buffer.from(b.value()).toString('base64')}`;
    }
    case 'regex': {
      const r = v as BSONRegExp | RegExp;
      return r instanceof BSONRegExp ? `r/${r.pattern}/${r.options}` : `r/${r.source}/${r.flags}`;
    }
    case 'code':
      return `c${JSON.stringify((v as Code).code)}`;
    case 'array':
      return `[${(v as unknown[]).map(encodeValue).join(',')}]`;
    case 'object':
      return `{${entriesOf(v as Document)
        .map(([k, x]) => `${JSON.stringify(k)}:${encodeValue(x)}`)
        .join(',')}}`;
  }
}

/** The encoded key of a compound index entry from one value per indexed field. */
export function encodeKey(values: unknown[]): string {
  return values.length === 1 ? encodeValue(values[0]) : values.map(encodeValue).join('\u0001');
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
