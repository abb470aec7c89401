/**
 * Update operators applied to exact BSON documents, so that fields an update does not touch keep their exact
 * type and arithmetic follows MongoDB's type rules ($inc of Int32 by Int32 stays Int32 unless it overflows
 * into Long; anything with a Double gives a Double; Decimal128 wins over all). mingo is only used to evaluate
 * conditions: `$pull` conditions, `arrayFilters`, and the positional `$` match; pipeline updates run
 * through mingo's aggregation and are converted back with the input document's exact types.
 */
import { Aggregator, Query } from 'mingo';
import { Decimal128, Double, Int32, Long, ObjectId, Timestamp, type Document } from 'bson';
import { restoreTypes, toCanonical } from './canonical';
import { badValue, failedToParse, immutableField, typeMismatch } from './errors';
import { getDirect, setDirect } from './paths';
import { MINGO_OPTIONS, refuseScripts, translateMingoError } from './query';
import { MongoServerError } from './types';
import {
  cloneValue,
  compareValues,
  isPlainDocument,
  kindOf,
  toJsNumber,
  valuesEqual,
  entriesOf,
} from './values';
import { sortDocuments, parseSort } from './query';

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$setOnInsert',
  '$currentDate',
  '$push',
  '$addToSet',
  '$pop',
  '$pull',
  '$pullAll',
]);

const PIPELINE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

export type UpdateKind = 'operators' | 'replacement' | 'pipeline';

export interface UpdateContext {
  /** The query the document matched, for the positional `$` operator. */
  query: Document;
  arrayFilters?: Document[];
  /** True when the update creates a document through an upsert ($setOnInsert applies). */
  inserting: boolean;
}

export function classifyUpdate(u: unknown): UpdateKind {
  if (Array.isArray(u)) {
    for (const stage of u as unknown[]) {
      if (!isPlainDocument(stage) || Object.keys(stage).length !== 1) {
        throw failedToParse('Each element of the update pipeline must be an object with one stage');
      }
      const name = Object.keys(stage)[0] ?? '';
      if (!PIPELINE_STAGES.has(name)) {
        throw new MongoServerError(
          72,
          'InvalidOptions',
          `${name} is not allowed to be used within an update`,
        );
      }
    }
    refuseScripts(u);
    return 'pipeline';
  }
  if (!isPlainDocument(u)) throw failedToParse('Update argument must be either an object or an array');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length === 0) return 'replacement';
  if (ops.length !== keys.length) {
    const plain = keys.find((k) => !k.startsWith('$')) ?? '';
    throw failedToParse(
      `Unknown modifier: ${plain}. Expected a valid update modifier or pipeline-style update specified as an array`,
    );
  }
  for (const op of ops) {
    if (!OPERATORS.has(op)) {
      throw failedToParse(
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainDocument(u[op])) {
      throw failedToParse(
        `Modifiers operate on fields but we found type ${kindOf(u[op])} instead. For example: {$mod: {<field>: ...}} not {${op}: ${String(u[op])}}`,
      );
    }
  }
  checkConflicts(u);
  return 'operators';
}

/** Two operators may not touch the same path or a path and its prefix (ConflictingUpdateOperators). */
function checkConflicts(u: Document): void {
  const paths: string[] = [];
  for (const [op, fields] of entriesOf(u)) {
    for (const [path, arg] of entriesOf(fields as Document)) {
      paths.push(path);
      if (op === '$rename' && typeof arg === 'string') paths.push(arg);
    }
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i] ?? '';
      const b = paths[j] ?? '';
      if (a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`)) {
        throw new MongoServerError(
          40,
          'ConflictingUpdateOperators',
          `Updating the path '${b}' would create a conflict at '${a.length <= b.length ? a : b}'`,
        );
      }
    }
  }
}

/** Applies an update to a copy of `doc` and returns the new document (the input is not modified). */
export function applyUpdate(doc: Document, u: Document | Document[], ctx: UpdateContext): Document {
  const kind = classifyUpdate(u);
  if (kind === 'pipeline') return applyPipeline(doc, u as Document[]);
  if (kind === 'replacement') return applyReplacement(doc, u);
  const out = cloneValue(doc);
  const updater = new OperatorUpdater(out, ctx);
  for (const [op, fields] of entriesOf(u)) {
    for (const [path, arg] of entriesOf(fields as Document)) updater.apply(op, path, arg);
  }
  // An upsert may set `_id` (e.g. with $setOnInsert); the seed's generated one is only a placeholder.
  if (!ctx.inserting) checkIdUnchanged(doc, out);
  return out;
}

function checkIdUnchanged(before: Document, after: Document): void {
  if (before._id === undefined) return;
  const a: unknown = before._id;
  const b: unknown = after._id;
  if (b === undefined || kindOf(a) !== kindOf(b) || !valuesEqual(a, b)) {
    throw immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
  }
}

function applyReplacement(doc: Document, replacement: Document): Document {
  for (const k of Object.keys(replacement)) {
    if (k.startsWith('$')) throw badValue(`The dollar ($) prefixed field '${k}' is not valid for storage.`);
  }
  const out: Document = {};
  if (doc._id !== undefined) out._id = doc._id as unknown;
  for (const [k, v] of entriesOf(replacement)) {
    if (k === '_id') continue;
    out[k] = cloneValue(v);
  }
  if (replacement._id !== undefined && doc._id !== undefined) {
    const a: unknown = doc._id;
    const b: unknown = replacement._id;
    if (kindOf(a) !== kindOf(b) || !valuesEqual(a, b)) {
      throw immutableField(
        `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(toCanonical(b))}`,
      );
    }
  }
  if (doc._id === undefined && replacement._id !== undefined)
    return { _id: cloneValue(replacement._id) as unknown, ...out };
  return out;
}

function applyPipeline(doc: Document, pipeline: Document[]): Document {
  let out: unknown;
  try {
    [out] = new Aggregator(toCanonical(pipeline) as Document[], MINGO_OPTIONS).run([
      toCanonical(doc) as Document,
    ]);
  } catch (err) {
    throw translateMingoError(err);
  }
  if (!isPlainDocument(out)) throw badValue('pipeline update must produce a document');
  const restored = restoreTypes(out, doc) as Document;
  if (doc._id !== undefined && restored._id === undefined) return { _id: doc._id as unknown, ...restored };
  checkIdUnchanged(doc, restored);
  return restored;
}

/** Builds the document an upsert inserts before the update applies: the equality fields of the query. */
export function upsertSeed(query: Document): Document {
  const seed: Document = {};
  const visit = (q: Document): void => {
    for (const [k, v] of entriesOf(q)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v as unknown[]) if (isPlainDocument(sub)) visit(sub);
        continue;
      }
      if (k.startsWith('$')) continue;
      if (isPlainDocument(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setDirect(seed, k, cloneValue(v.$eq));
        continue;
      }
      if (kindOf(v) === 'regex') continue;
      setDirect(seed, k, cloneValue(v));
    }
  };
  visit(query);
  return seed;
}

// ---------------------------------------------------------------------------------------------------------
// arithmetic with MongoDB's result types

type NumKind = 'int' | 'long' | 'double' | 'decimal';

function numKind(v: unknown): NumKind | undefined {
  if (v instanceof Int32) return 'int';
  if (v instanceof Long && v.constructor === Long) return 'long';
  if (v instanceof Double) return 'double';
  if (v instanceof Decimal128) return 'decimal';
  if (typeof v === 'number')
    return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 'int' : 'double';
  if (typeof v === 'bigint') return 'long';
  return undefined;
}

const RANK: Record<NumKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function toBig(v: unknown): bigint {
  if (v instanceof Long) return v.toBigInt();
  if (typeof v === 'bigint') return v;
  return BigInt(Math.trunc(toJsNumber(v)));
}

export function arithmetic(a: unknown, b: unknown, op: 'add' | 'mul'): unknown {
  const ka = numKind(a);
  const kb = numKind(b);
  if (!ka || !kb) return undefined;
  const kind = RANK[ka] >= RANK[kb] ? ka : kb;
  if (kind === 'decimal') return decimalArithmetic(a, b, op);
  if (kind === 'double')
    return new Double(op === 'add' ? toJsNumber(a) + toJsNumber(b) : toJsNumber(a) * toJsNumber(b));
  const r = op === 'add' ? toBig(a) + toBig(b) : toBig(a) * toBig(b);
  if (kind === 'int' && r >= -2147483648n && r <= 2147483647n) return new Int32(Number(r));
  if (r >= INT64_MIN && r <= INT64_MAX) return Long.fromBigInt(r);
  return new Double(Number(r));
}

/** A finite number as coefficient × 10^exponent, exactly (doubles through their shortest decimal form). */
function decimalParts(v: unknown): { coef: bigint; exp: number } | undefined {
  let text: string;
  if (v instanceof Decimal128) text = v.toString();
  else if (v instanceof Long) text = v.toString();
  else text = String(toJsNumber(v));
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const digits = `${m[2] ?? ''}${frac}` || '0';
  const coef = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  return { coef, exp: Number(m[4] ?? '0') - frac.length };
}

/** Decimal128 arithmetic done in decimal (0.1 + 0.2 is 0.3), as MongoDB does. */
function decimalArithmetic(a: unknown, b: unknown, op: 'add' | 'mul'): Decimal128 {
  const x = decimalParts(a);
  const y = decimalParts(b);
  if (!x || !y) {
    const r = op === 'add' ? toJsNumber(a) + toJsNumber(b) : toJsNumber(a) * toJsNumber(b);
    return Decimal128.fromString(String(r));
  }
  let coef: bigint;
  let exp: number;
  if (op === 'mul') {
    coef = x.coef * y.coef;
    exp = x.exp + y.exp;
  } else {
    exp = Math.min(x.exp, y.exp);
    coef = x.coef * 10n ** BigInt(x.exp - exp) + y.coef * 10n ** BigInt(y.exp - exp);
  }
  const text = `${coef.toString()}E${exp}`;
  try {
    return Decimal128.fromString(text);
  } catch {
    // More than 34 significant digits: round as MongoDB does.
    return Decimal128.fromStringWithRounding(text);
  }
}

function zeroLike(v: unknown): unknown {
  switch (numKind(v)) {
    case 'long':
      return Long.fromNumber(0);
    case 'double':
      return new Double(0);
    case 'decimal':
      return Decimal128.fromString('0');
    default:
      return new Int32(0);
  }
}

// ---------------------------------------------------------------------------------------------------------
// paths with positional operators

function isIndex(part: string): boolean {
  return /^\d+$/.test(part);
}

function childOf(container: unknown, part: string): unknown {
  if (Array.isArray(container)) return isIndex(part) ? (container as unknown[])[Number(part)] : undefined;
  if (isPlainDocument(container)) return container[part];
  return undefined;
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(toCanonical(v));
  } catch {
    return kindOf(v);
  }
}

class OperatorUpdater {
  private positional: number | undefined | null = null;
  private readonly arrayFilterTests = new Map<string, (el: unknown) => boolean>();

  constructor(
    private readonly doc: Document,
    private readonly ctx: UpdateContext,
  ) {
    for (const filter of ctx.arrayFilters ?? []) {
      if (!isPlainDocument(filter)) throw failedToParse('arrayFilters must be objects');
      refuseScripts(filter);
      const keys = Object.keys(filter);
      const id = (keys[0] ?? '').split('.')[0] ?? '';
      if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) {
        throw badValue(
          `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`,
        );
      }
      const renamed: Document = {};
      for (const [k, v] of entriesOf(filter)) {
        const [head, ...rest] = k.split('.');
        if (head !== id)
          throw failedToParse('Error parsing array filter: all fields must share one identifier');
        renamed[['x', ...rest].join('.')] = v;
      }
      let q: Query;
      try {
        q = new Query(toCanonical(renamed) as Document, MINGO_OPTIONS);
      } catch (err) {
        throw translateMingoError(err);
      }
      this.arrayFilterTests.set(id, (el) => q.test({ x: toCanonical(el) }));
    }
  }

  apply(op: string, path: string, arg: unknown): void {
    if (path === '' || path.split('.').some((p) => p === '')) {
      throw new MongoServerError(56, 'EmptyFieldName', 'An empty update path is not valid.');
    }
    if (op === '$setOnInsert') {
      if (this.ctx.inserting)
        this.each(path, (parent, last) => setField(parent, last, cloneValue(arg), path));
      return;
    }
    if (op === '$rename') {
      this.rename(path, arg);
      return;
    }
    const handler = this.handlers[op];
    if (!handler) throw failedToParse(`Unknown modifier: ${op}`);
    handler(path, arg);
  }

  private readonly handlers: Record<string, (path: string, arg: unknown) => void> = {
    $set: (path, arg) => this.each(path, (p, last) => setField(p, last, cloneValue(arg), path)),
    $unset: (path) => this.each(path, (p, last) => unsetField(p, last), false),
    $inc: (path, arg) => this.arith(path, arg, 'add', '$inc'),
    $mul: (path, arg) => this.arith(path, arg, 'mul', '$mul'),
    $min: (path, arg) =>
      this.each(path, (p, last) => {
        const cur = childOf(p, last);
        if (cur === undefined || compareValues(arg, cur) < 0) setField(p, last, cloneValue(arg), path);
      }),
    $max: (path, arg) =>
      this.each(path, (p, last) => {
        const cur = childOf(p, last);
        if (cur === undefined || compareValues(arg, cur) > 0) setField(p, last, cloneValue(arg), path);
      }),
    $currentDate: (path, arg) => {
      let value: unknown = new Date();
      if (isPlainDocument(arg)) {
        if (arg.$type === 'timestamp') {
          value = new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 });
        } else if (arg.$type !== 'date') {
          throw badValue("The '$type' string field is required to be 'date' or 'timestamp'");
        }
      } else if (typeof arg !== 'boolean') {
        throw badValue(
          `${describe(arg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
        );
      }
      this.each(path, (p, last) => setField(p, last, value, path));
    },
    $push: (path, arg) => this.push(path, arg, false),
    $addToSet: (path, arg) => this.push(path, arg, true),
    $pop: (path, arg) => {
      const n = toJsNumber(arg);
      if (n !== 1 && n !== -1) throw failedToParse(`$pop expects 1 or -1, found: ${describe(arg)}`);
      this.each(
        path,
        (p, last) => {
          const cur = childOf(p, last);
          if (cur === undefined) return;
          const arr = this.requireArray(cur, path);
          if (n === 1) arr.pop();
          else arr.shift();
        },
        false,
      );
    },
    $pull: (path, arg) => {
      const test = pullTest(arg);
      this.each(
        path,
        (p, last) => {
          const cur = childOf(p, last);
          if (cur === undefined) return;
          const arr = this.requireArray(cur, path);
          const kept = arr.filter((el) => !test(el));
          arr.splice(0, arr.length, ...kept);
        },
        false,
      );
    },
    $pullAll: (path, arg) => {
      if (!Array.isArray(arg))
        throw badValue(`$pullAll requires an array argument but was given a ${kindOf(arg)}`);
      const values = arg as unknown[];
      this.each(
        path,
        (p, last) => {
          const cur = childOf(p, last);
          if (cur === undefined) return;
          const arr = this.requireArray(cur, path);
          const kept = arr.filter((el) => !values.some((v) => valuesEqual(el, v)));
          arr.splice(0, arr.length, ...kept);
        },
        false,
      );
    },
  };

  private requireArray(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) {
      throw badValue(
        `Cannot apply $pull to a non-array value`.replace('$pull', `an array operator at '${path}'`),
      );
    }
    return v as unknown[];
  }

  private arith(path: string, arg: unknown, op: 'add' | 'mul', name: string): void {
    if (!numKind(arg)) {
      throw typeMismatch(
        `Cannot ${op === 'add' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${describe(arg)}}`,
      );
    }
    this.each(path, (p, last) => {
      const cur = childOf(p, last);
      if (cur === undefined) {
        setField(p, last, op === 'add' ? cloneValue(arg) : zeroLike(arg), path);
        return;
      }
      const r = arithmetic(cur, arg, op);
      if (r === undefined) {
        throw typeMismatch(
          `Cannot apply ${name} to a value of non-numeric type. {_id: ${describe(this.doc._id)}} has the field '${last}' of non-numeric type ${kindOf(cur)}`,
        );
      }
      setField(p, last, r, path);
    });
  }

  private push(path: string, arg: unknown, unique: boolean): void {
    let items: unknown[] = [arg];
    let slice: number | undefined;
    let sort: Document | number | undefined;
    let position: number | undefined;
    if (isPlainDocument(arg) && '$each' in arg) {
      if (!Array.isArray(arg.$each))
        throw badValue(
          `The argument to $each in ${unique ? '$addToSet' : '$push'} must be an array but it was of type: ${kindOf(arg.$each)}`,
        );
      items = arg.$each as unknown[];
      for (const k of Object.keys(arg)) {
        if (!['$each', '$slice', '$sort', '$position'].includes(k) || (unique && k !== '$each')) {
          throw badValue(`Unrecognized clause in ${unique ? '$addToSet' : '$push'}: ${k}`);
        }
      }
      if (arg.$slice !== undefined) slice = toJsNumber(arg.$slice);
      if (arg.$sort !== undefined) sort = isPlainDocument(arg.$sort) ? arg.$sort : toJsNumber(arg.$sort);
      if (arg.$position !== undefined) position = toJsNumber(arg.$position);
    }
    this.each(path, (p, last) => {
      let cur = childOf(p, last);
      if (cur === undefined) {
        cur = [];
        setField(p, last, cur, path);
      }
      if (!Array.isArray(cur)) {
        throw badValue(
          `The field '${path}' must be an array but is of type ${kindOf(cur)} in document {_id: ${describe(this.doc._id)}}`,
        );
      }
      const arr = cur as unknown[];
      if (unique) {
        for (const item of items) if (!arr.some((el) => valuesEqual(el, item))) arr.push(cloneValue(item));
        return;
      }
      const copies = items.map((x) => cloneValue(x));
      if (position === undefined) arr.push(...copies);
      else {
        const at = position >= 0 ? Math.min(position, arr.length) : Math.max(arr.length + position, 0);
        arr.splice(at, 0, ...copies);
      }
      if (sort !== undefined) {
        const sorted =
          typeof sort === 'number'
            ? [...arr].sort((a, b) => compareValues(a, b) * sort)
            : sortDocuments([...arr], parseSort(sort), (x) => x);
        arr.splice(0, arr.length, ...sorted);
      }
      if (slice !== undefined) {
        const kept = slice >= 0 ? arr.slice(0, slice) : arr.slice(Math.max(arr.length + slice, 0));
        arr.splice(0, arr.length, ...kept);
      }
    });
  }

  private rename(from: string, to: unknown): void {
    if (typeof to !== 'string' || to === '') throw badValue('The $rename target must be a non-empty string');
    if (from.includes('$') || to.includes('$'))
      throw badValue('The source and target field for $rename must not contain positional operators');
    const value = getDirect(this.doc, from);
    if (value === undefined) return;
    this.each(from, (p, last) => unsetField(p, last), false);
    this.each(to, (p, last) => setField(p, last, value, to));
  }

  /**
   * Resolves `path` (with `$`, `$[]`, `$[id]`) to concrete locations and calls `fn(parent, lastPart)` for
   * each; with `create` missing intermediate documents are created, otherwise missing paths are skipped.
   */
  private each(path: string, fn: (parent: Document | unknown[], last: string) => void, create = true): void {
    const parts = path.split('.');
    const visit = (container: unknown, i: number, trail: string[]): void => {
      const part = parts[i] ?? '';
      const isLast = i === parts.length - 1;
      let targets: string[];
      if (part === '$') {
        targets = [String(this.positionalIndex(trail.join('.')))];
      } else if (part === '$[]' || (part.startsWith('$[') && part.endsWith(']'))) {
        if (!Array.isArray(container)) {
          if (container === undefined && !create) return;
          throw badValue(
            `The path '${trail.join('.')}' must exist in the document in order to apply array updates.`,
          );
        }
        const arr = container as unknown[];
        const id = part.slice(2, -1);
        const test = id === '' ? undefined : this.arrayFilterTests.get(id);
        if (id !== '' && !test)
          throw badValue(`No array filter found for identifier '${id}' in path '${path}'`);
        targets = arr.map((_, idx) => String(idx)).filter((_, idx) => !test || test(arr[idx]));
      } else {
        targets = [part];
      }
      for (const target of targets) {
        if (isLast) {
          if (!Array.isArray(container) && !isPlainDocument(container)) {
            throw new MongoServerError(
              28,
              'PathNotViable',
              `Cannot create field '${target}' in element {${trail[trail.length - 1] ?? ''}: ${describe(container)}}`,
            );
          }
          if (Array.isArray(container) && !isIndex(target)) {
            throw new MongoServerError(
              28,
              'PathNotViable',
              `Cannot create field '${target}' in element {${trail[trail.length - 1] ?? ''}: ${describe(container)}}`,
            );
          }
          fn(container as Document | unknown[], target);
          continue;
        }
        let next = childOf(container, target);
        if (next === undefined || next === null) {
          if (!create) continue;
          if (!Array.isArray(container) && !isPlainDocument(container)) {
            throw new MongoServerError(
              28,
              'PathNotViable',
              `Cannot create field '${target}' in element {${trail[trail.length - 1] ?? ''}: ${describe(container)}}`,
            );
          }
          if (next === null && (parts[i + 1] ?? '').startsWith('$')) {
            throw badValue(
              `The path '${[...trail, target].join('.')}' must exist in the document in order to apply array updates.`,
            );
          }
          next = {};
          setField(container as Document | unknown[], target, next, path);
        }
        visit(next, i + 1, [...trail, target]);
      }
    };
    visit(this.doc, 0, []);
  }

  /** The index of the first element of the array at `arrayPath` that satisfies the query's conditions on it. */
  private positionalIndex(arrayPath: string): number {
    if (this.positional === null) this.positional = undefined;
    const arr = getDirect(this.doc, arrayPath);
    if (!Array.isArray(arr)) {
      throw badValue('The positional operator did not find the match needed from the query.');
    }
    const conditions: Document = {};
    const collectConditions = (q: Document): void => {
      for (const [k, v] of entriesOf(q)) {
        if (k === '$and' && Array.isArray(v)) {
          for (const sub of v as unknown[]) if (isPlainDocument(sub)) collectConditions(sub);
        } else if (k === arrayPath || k.startsWith(`${arrayPath}.`)) conditions[k] = v;
      }
    };
    collectConditions(this.ctx.query);
    if (Object.keys(conditions).length === 0) {
      throw badValue('The positional operator did not find the match needed from the query.');
    }
    const query = new Query(toCanonical(conditions) as Document, MINGO_OPTIONS);
    const canonical = toCanonical(this.doc) as Document;
    for (let i = 0; i < (arr as unknown[]).length; i++) {
      const probe = structuredCloneShallowPath(canonical, arrayPath, [toCanonical((arr as unknown[])[i])]);
      if (query.test(probe)) return i;
    }
    throw badValue('The positional operator did not find the match needed from the query.');
  }
}

/** A copy of `doc` where only the value at `path` is replaced (the rest is shared). */
function structuredCloneShallowPath(doc: Document, path: string, value: unknown): Document {
  const [head, ...rest] = path.split('.');
  const out: Document = { ...doc };
  if (rest.length === 0) out[head ?? ''] = value;
  else {
    const child: unknown = doc[head ?? ''];
    out[head ?? ''] = structuredCloneShallowPath(isPlainDocument(child) ? child : {}, rest.join('.'), value);
  }
  return out;
}

function setField(parent: Document | unknown[], last: string, value: unknown, path: string): void {
  if (Array.isArray(parent)) {
    if (!isIndex(last)) {
      throw new MongoServerError(
        28,
        'PathNotViable',
        `Cannot create field '${last}' in element of array at '${path}'`,
      );
    }
    const idx = Number(last);
    while (parent.length < idx) parent.push(null);
    parent[idx] = value;
    return;
  }
  if (last.startsWith('$'))
    throw badValue(`The dollar ($) prefixed field '${last}' in '${path}' is not valid for storage.`);
  parent[last] = value;
}

function unsetField(parent: Document | unknown[], last: string): void {
  if (Array.isArray(parent)) {
    if (isIndex(last) && Number(last) < parent.length) parent[Number(last)] = null;
    return;
  }
  delete parent[last];
}

/** The predicate `$pull` removes elements with: a query on documents, an operator condition, or equality. */
function pullTest(arg: unknown): (el: unknown) => boolean {
  if (isPlainDocument(arg)) {
    refuseScripts(arg);
    const keys = Object.keys(arg);
    const operatorCondition =
      keys.length > 0 && keys.every((k) => k.startsWith('$') && k !== '$and' && k !== '$or' && k !== '$nor');
    try {
      if (operatorCondition) {
        const q = new Query({ v: toCanonical(arg) }, MINGO_OPTIONS);
        return (el) => q.test({ v: toCanonical(el) });
      }
      const q = new Query(toCanonical(arg) as Document, MINGO_OPTIONS);
      return (el) => isPlainDocument(el) && q.test(toCanonical(el) as Document);
    } catch (err) {
      throw translateMingoError(err);
    }
  }
  return (el) => valuesEqual(el, arg);
}

/** A new `_id` for documents inserted without one. */
export function newObjectId(): ObjectId {
  return new ObjectId();
}
