/**
 * Exact BSON values (as deserialized with `promoteValues: false`) and the rules MongoDB applies to them:
 * type classification, the cross-type comparison order used for sorting and `$min`/`$max`, and equality.
 */
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  type Document,
} from 'bson';

/** A Binary in the canonical view (see canonical.ts): mingo treats it as equal when subtype and bytes are. */
export class CanonicalBinary {
  constructor(readonly binary: Binary) {}
  toString(): string {
    return `${this.binary.sub_type}:${this.binary.toString('base64')}`;
  }
}

/** `Object.entries` of a document with `unknown` values (a bson `Document` is a record of `any`). */
export function entriesOf(doc: object): [string, unknown][] {
  return Object.entries(doc) as [string, unknown][];
}

export type BsonKind =
  | 'minKey'
  | 'missing'
  | 'null'
  | 'number'
  | 'string'
  | 'object'
  | 'array'
  | 'binData'
  | 'objectId'
  | 'bool'
  | 'date'
  | 'timestamp'
  | 'regex'
  | 'code'
  | 'maxKey';

/** MongoDB's canonical type order for comparisons and sorts (null and missing compare equal). */
const KIND_RANK: Record<BsonKind, number> = {
  minKey: 0,
  missing: 1,
  null: 1,
  number: 2,
  string: 3,
  object: 4,
  array: 5,
  binData: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  timestamp: 10,
  regex: 11,
  code: 12,
  maxKey: 13,
};

export function isPlainDocument(v: unknown): v is Document {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function kindOf(v: unknown): BsonKind {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'object':
      break;
    default:
      return 'null';
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof Int32 || v instanceof Double || v instanceof Decimal128) return 'number';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof Long) return 'number';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof Binary || v instanceof Uint8Array || v instanceof CanonicalBinary) return 'binData';
  if (v instanceof BSONRegExp || v instanceof RegExp) return 'regex';
  if (v instanceof BSONSymbol) return 'string';
  if (v instanceof MinKey) return 'minKey';
  if (v instanceof MaxKey) return 'maxKey';
  if (v instanceof Code) return 'code';
  return 'object';
}

export function isNumberValue(v: unknown): boolean {
  return kindOf(v) === 'number';
}

/** A JS number for any numeric BSON value (Long beyond 2^53 and Decimal128 lose precision). */
export function toJsNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  return NaN;
}

/** Exact integer value of an integral numeric BSON value, or undefined when it is not an integer. */
export function toExactBigInt(v: unknown): bigint | undefined {
  if (v instanceof Long) return v.toBigInt();
  if (v instanceof Decimal128) {
    const s = v.toString();
    if (/^-?\d+$/.test(s)) return BigInt(s);
    const m = /^(-?\d+)\.(\d+)$/.exec(s);
    if (m && /^0+$/.test(m[2] ?? '')) return BigInt(m[1] ?? '0');
    const e = /^(-?\d+)E\+(\d+)$/i.exec(s);
    if (e) return BigInt(e[1] ?? '0') * 10n ** BigInt(e[2] ?? '0');
    return undefined;
  }
  const n = toJsNumber(v);
  if (Number.isInteger(n)) return BigInt(n);
  return undefined;
}

function compareNumbers(a: unknown, b: unknown): number {
  if (a instanceof Long && b instanceof Long) {
    const x = a.toBigInt();
    const y = b.toBigInt();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toJsNumber(a);
  const y = toJsNumber(b);
  // MongoDB orders NaN below every other number.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  if (x === y && (a instanceof Long || b instanceof Long)) {
    const bx = toExactBigInt(a);
    const by = toExactBigInt(b);
    if (bx !== undefined && by !== undefined) return bx < by ? -1 : bx > by ? 1 : 0;
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

function cmp<T extends string | number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stringOf(v: unknown): string {
  if (v instanceof BSONSymbol) return v.valueOf();
  return v as string;
}

function bytesOf(v: Binary | Uint8Array | CanonicalBinary): Uint8Array {
  if (v instanceof CanonicalBinary) return v.binary.value();
  return v instanceof Binary ? v.value() : v;
}

function subtypeOf(v: Binary | Uint8Array | CanonicalBinary): number {
  if (v instanceof CanonicalBinary) return v.binary.sub_type;
  return v instanceof Binary ? v.sub_type : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return cmp(a.length, b.length);
}

/** Compares two BSON values in MongoDB's order (BSON spec "comparison/sort order"). */
export function compareValues(a: unknown, b: unknown): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  const ra = KIND_RANK[ka];
  const rb = KIND_RANK[kb];
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ka) {
    case 'number':
      return compareNumbers(a, b);
    case 'string':
      return cmp(stringOf(a), stringOf(b));
    case 'bool':
      return cmp(a ? 1 : 0, b ? 1 : 0);
    case 'date':
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 'objectId':
      return compareBytes((a as ObjectId).id, (b as ObjectId).id);
    case 'timestamp': {
      const x = (a as Timestamp).toBigInt();
      const y = (b as Timestamp).toBigInt();
      return cmp(x, y);
    }
    case 'binData': {
      const x = a as Binary | Uint8Array | CanonicalBinary;
      const y = b as Binary | Uint8Array | CanonicalBinary;
      const bx = bytesOf(x);
      const by = bytesOf(y);
      if (bx.length !== by.length) return cmp(bx.length, by.length);
      const sx = subtypeOf(x);
      const sy = subtypeOf(y);
      if (sx !== sy) return cmp(sx, sy);
      return compareBytes(bx, by);
    }
    case 'regex': {
      const [px, fx] = regexParts(a);
      const [py, fy] = regexParts(b);
      return cmp(px, py) || cmp(fx, fy);
    }
    case 'code':
      return cmp((a as Code).code, (b as Code).code);
    case 'array': {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const d = compareValues(x[i], y[i]);
        if (d !== 0) return d;
      }
      return cmp(x.length, y.length);
    }
    case 'object': {
      const ex = entriesOf(a as Document);
      const ey = entriesOf(b as Document);
      const n = Math.min(ex.length, ey.length);
      for (let i = 0; i < n; i++) {
        const [nx, vx] = ex[i] ?? ['', undefined];
        const [ny, vy] = ey[i] ?? ['', undefined];
        const rx = KIND_RANK[kindOf(vx)];
        const ry = KIND_RANK[kindOf(vy)];
        if (rx !== ry) return rx < ry ? -1 : 1;
        const dn = cmp(nx, ny);
        if (dn !== 0) return dn;
        const dv = compareValues(vx, vy);
        if (dv !== 0) return dv;
      }
      return cmp(ex.length, ey.length);
    }
    default:
      return 0;
  }
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0 && (kindOf(a) !== 'missing') === (kindOf(b) !== 'missing');
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof BSONRegExp) return [v.pattern, v.options];
  const r = v as RegExp;
  return [r.source, r.flags];
}

/** Deep copy of an exact BSON value; BSON value objects are immutable and shared. */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x: unknown) => cloneValue(x)) as T;
  if (isPlainDocument(v)) {
    const out: Document = {};
    for (const [k, x] of entriesOf(v)) out[k] = cloneValue(x);
    return out as T;
  }
  if (v instanceof Date) return new Date(v.getTime()) as T;
  return v;
}
