/**
 * Find projections on exact documents: inclusion or exclusion of (nested) paths, `_id` suppression, `$slice`
 * and `$elemMatch`. Projections with aggregation expressions are evaluated by mingo (`$project`) on the
 * canonical view and converted back with the source document's exact types.
 */
import { Aggregator } from 'mingo';
import type { Document } from 'bson';
import { restoreTypes, toCanonical } from './canonical';
import { badValue } from './errors';
import { compileFilter, MINGO_OPTIONS, refuseScripts, translateMingoError } from './query';
import { setDirect } from './paths';
import { MongoServerError } from './types';
import { isPlainDocument, kindOf, toJsNumber, entriesOf } from './values';

interface Node {
  mode?: 'include' | 'exclude';
  slice?: [number, number | undefined];
  elemMatch?: (el: unknown) => boolean;
  /** `path.$`: the first element that satisfies the query's conditions on the array. */
  positional?: (el: unknown) => boolean;
  children: Map<string, Node>;
}

export type Projector = (doc: Document) => Document;

function newNode(): Node {
  return { children: new Map() };
}

function isExpression(v: unknown): boolean {
  if (typeof v === 'string') return true;
  if (isPlainDocument(v)) {
    const keys = Object.keys(v);
    return !(keys.length === 1 && (keys[0] === '$slice' || keys[0] === '$elemMatch'));
  }
  return kindOf(v) !== 'number' && kindOf(v) !== 'bool';
}

export function compileProjection(spec: Document | undefined, filter?: Document): Projector | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainDocument(spec)) throw badValue('projection must be an object');
  const entries = entriesOf(spec);
  if (entries.length === 0) return undefined;
  refuseScripts(spec);
  if (entries.some(([, v]) => isExpression(v))) return expressionProjector(spec);

  const root = newNode();
  let inclusion = false;
  let exclusion = false;
  let idExcluded = false;
  for (const [rawPath, v] of entries) {
    const path = rawPath.endsWith('.$') ? rawPath.slice(0, -2) : rawPath;
    let node = root;
    for (const part of path.split('.')) {
      let child = node.children.get(part);
      if (!child) {
        child = newNode();
        node.children.set(part, child);
      }
      node = child;
    }
    if (rawPath.endsWith('.$')) {
      node.positional = positionalTest(path, filter);
      inclusion = true;
    } else if (isPlainDocument(v) && '$slice' in v) {
      node.slice = parseSlice(v.$slice);
    } else if (isPlainDocument(v) && '$elemMatch' in v) {
      const filter = compileFilter({ v: { $elemMatch: v.$elemMatch as unknown } });
      node.elemMatch = (el) => filter.test({ v: [el] });
      inclusion = true;
    } else {
      const on = typeof v === 'boolean' ? v : toJsNumber(v) !== 0;
      if (path === '_id') {
        if (!on) idExcluded = true;
        node.mode = on ? 'include' : 'exclude';
        continue;
      }
      node.mode = on ? 'include' : 'exclude';
      if (on) inclusion = true;
      else exclusion = true;
    }
  }
  if (inclusion && exclusion) {
    throw new MongoServerError(
      31254,
      'Location31254',
      'Cannot do exclusion on field in inclusion projection',
    );
  }
  if (inclusion) {
    const idNode = root.children.get('_id');
    if (!idExcluded && !idNode) root.children.set('_id', { mode: 'include', children: new Map() });
    return (doc) => includeDoc(doc, root);
  }
  return (doc) => excludeDoc(doc, root);
}

function parseSlice(v: unknown): [number, number | undefined] {
  if (Array.isArray(v) && v.length === 2) {
    const limit = toJsNumber(v[1]);
    if (!(limit > 0)) throw badValue('$slice limit must be positive');
    return [toJsNumber(v[0]), limit];
  }
  const n = toJsNumber(v);
  if (Number.isNaN(n)) throw badValue('$slice only supports numbers and [skip, limit] arrays');
  return [n, undefined];
}

function applySlice(arr: unknown[], [a, b]: [number, number | undefined]): unknown[] {
  if (b === undefined) return a >= 0 ? arr.slice(0, a) : arr.slice(Math.max(arr.length + a, 0));
  const start = a >= 0 ? a : Math.max(arr.length + a, 0);
  return arr.slice(start, start + b);
}

/** The predicate of a positional projection `path.$`, from the filter's conditions on `path`. */
function positionalTest(path: string, filter: Document | undefined): (el: unknown) => boolean {
  const conditions: Document = {};
  const visit = (q: Document): void => {
    for (const [k, v] of entriesOf(q)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v as unknown[]) if (isPlainDocument(sub)) visit(sub);
      } else if (k === path || k.startsWith(`${path}.`)) conditions[k] = v;
    }
  };
  if (filter) visit(filter);
  if (Object.keys(conditions).length === 0) {
    throw badValue("positional operator '.$' requires corresponding field in query specifier");
  }
  const query = compileFilter(conditions);
  return (el) => {
    const probe: Document = {};
    setDirect(probe, path, [el]);
    return query.test(probe);
  };
}

function projectLeaf(value: unknown, node: Node): unknown {
  if (node.positional && Array.isArray(value)) {
    const hit = (value as unknown[]).find((el) => node.positional?.(el));
    return hit === undefined ? undefined : [hit];
  }
  if (node.elemMatch && Array.isArray(value)) {
    const hit = (value as unknown[]).find((el) => node.elemMatch?.(el));
    return hit === undefined ? undefined : [hit];
  }
  if (node.slice && Array.isArray(value)) return applySlice(value as unknown[], node.slice);
  return value;
}

function includeDoc(doc: Document, node: Node): Document {
  const out: Document = {};
  for (const [k, v] of entriesOf(doc)) {
    const child = node.children.get(k);
    if (!child || child.mode === 'exclude') continue;
    const projected = includeValue(v, child);
    if (projected !== undefined) out[k] = projected;
  }
  return out;
}

function includeValue(v: unknown, node: Node): unknown {
  if (node.children.size === 0 || node.mode === 'include') return projectLeaf(v, node);
  if (isPlainDocument(v)) return includeDoc(v, node);
  if (Array.isArray(v)) {
    return (v as unknown[])
      .filter((el) => isPlainDocument(el) || Array.isArray(el))
      .map((el) => includeValue(el, node));
  }
  return undefined;
}

function excludeDoc(doc: Document, node: Node): Document {
  const out: Document = {};
  for (const [k, v] of entriesOf(doc)) {
    const child = node.children.get(k);
    if (!child) {
      out[k] = v;
      continue;
    }
    if (child.mode === 'exclude') continue;
    if (child.mode === 'include' && child.children.size === 0 && !child.slice && !child.elemMatch) {
      out[k] = v;
      continue;
    }
    const projected = excludeValue(v, child);
    if (projected !== undefined) out[k] = projected;
  }
  return out;
}

function excludeValue(v: unknown, node: Node): unknown {
  if (node.children.size === 0) return projectLeaf(v, node);
  if (isPlainDocument(v)) return excludeDoc(v, node);
  if (Array.isArray(v)) return (v as unknown[]).map((el) => excludeValue(el, node));
  return v;
}

function expressionProjector(spec: Document): Projector {
  const canonicalSpec = toCanonical(spec) as Document;
  return (doc) => {
    try {
      const [out] = new Aggregator([{ $project: canonicalSpec }], MINGO_OPTIONS).run([
        toCanonical(doc) as Document,
      ]);
      return restoreTypes(out ?? {}, doc) as Document;
    } catch (err) {
      throw translateMingoError(err);
    }
  };
}
