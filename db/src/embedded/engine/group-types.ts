/**
 * Result types of `$group` accumulators. mingo computes on JS numbers, which would make every integral
 * result an Int32. When a `$group` runs directly on stored documents, the engine knows the exact input
 * values of accumulators over a field path (`{$sum: '$qty'}`) and gives the result MongoDB's type:
 * - `$sum`: the widest input type (Int32 < Long < Double < Decimal128), Int32 widening to Long on overflow;
 * - `$avg`: Double, or Decimal128 when an input is Decimal128;
 * - `$min`, `$max`, `$first`, `$last`: the exact input value that was selected.
 * Types are taken over all inputs of the stage, not per group (a pragmatic approximation).
 */
import { Decimal128, Double, Int32, Long, type Document } from 'bson';
import { numberToBson } from './canonical';
import { valuesAtPath } from './paths';
import { entriesOf, isPlainDocument, kindOf, toJsNumber } from './values';

type NumericKind = 0 | 1 | 2 | 3; // int, long, double, decimal

interface FieldHint {
  op: string;
  kind: NumericKind;
  values: unknown[];
}

const TYPED_ACCUMULATORS = new Set(['$sum', '$avg', '$min', '$max', '$first', '$last']);

function numericKind(v: unknown): NumericKind | undefined {
  if (v instanceof Decimal128) return 3;
  if (v instanceof Double) return 2;
  if (v instanceof Long) return 1;
  if (v instanceof Int32) return 0;
  if (typeof v === 'number') return Number.isInteger(v) ? 0 : 2;
  return undefined;
}

/** Per-accumulator hints for the outputs of one `$group` stage over exact input documents. */
export function groupHints(spec: unknown, inputs: Document[]): Map<string, FieldHint> {
  const hints = new Map<string, FieldHint>();
  if (!isPlainDocument(spec)) return hints;
  for (const [field, acc] of entriesOf(spec)) {
    if (field === '_id' || !isPlainDocument(acc)) continue;
    const [op, expr] = entriesOf(acc)[0] ?? ['', undefined];
    if (
      !TYPED_ACCUMULATORS.has(op) ||
      typeof expr !== 'string' ||
      !expr.startsWith('$') ||
      expr.startsWith('$$')
    )
      continue;
    const path = expr.slice(1);
    const values: unknown[] = [];
    let kind: NumericKind = 0;
    for (const doc of inputs) {
      for (const v of valuesAtPath(doc, path)) {
        const k = numericKind(v);
        if (k === undefined) continue;
        values.push(v);
        if (k > kind) kind = k;
      }
    }
    if (values.length > 0) hints.set(field, { op, kind, values });
  }
  return hints;
}

function typed(n: number, hint: FieldHint): unknown {
  if (hint.op === '$min' || hint.op === '$max' || hint.op === '$first' || hint.op === '$last') {
    return hint.values.find((v) => toJsNumber(v) === n) ?? numberToBson(n);
  }
  if (hint.kind === 3) return Decimal128.fromString(String(n));
  if (hint.op === '$avg' || hint.kind === 2) return new Double(n);
  if (hint.kind === 1 && Number.isSafeInteger(n)) return Long.fromNumber(n);
  return numberToBson(n);
}

/** Replaces the hinted numeric fields of a `$group` output document with their exact BSON type. */
export function applyGroupHints(out: Document, hints: Map<string, FieldHint>): Document {
  const res: Document = { ...out };
  for (const [field, hint] of hints) {
    const v: unknown = res[field];
    if (typeof v === 'number' && kindOf(v) === 'number') res[field] = typed(v, hint);
  }
  return res;
}
