/** Validation of `createIndexes` specifications against MongoDB's rules and the existing indexes. */
import type { Document } from 'bson';
import type { IndexMeta } from './catalog';
import { badValue } from './errors';
import { compileFilter } from './query';
import { MongoServerError, type IndexSpec } from './types';
import { isPlainDocument, kindOf, toJsNumber, valuesEqual, entriesOf } from './values';

/** Options that change what an index is; two specs with the same name must agree on them. */
const SIGNIFICANT = ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'] as const;

const ACCEPTED_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'background',
  'v',
  'collation',
  'hidden',
  'weights',
  'default_language',
  'language_override',
  'textIndexVersion',
  '2dsphereIndexVersion',
  'bits',
  'min',
  'max',
  'wildcardProjection',
]);

function normalise(spec: IndexSpec): Document {
  if (!isPlainDocument(spec)) throw badValue('index specification must be an object');
  const key = spec.key as unknown;
  if (!isPlainDocument(key) || Object.keys(key).length === 0) {
    throw new MongoServerError(67, 'CannotCreateIndex', 'Index keys cannot be empty.');
  }
  for (const [field, dir] of entriesOf(key)) {
    if (field === '' || field.startsWith('$'))
      throw new MongoServerError(
        67,
        'CannotCreateIndex',
        `Index key contains an illegal field name: '${field}'`,
      );
    const kind = kindOf(dir);
    if (kind === 'number' ? toJsNumber(dir) === 0 : kind !== 'string') {
      throw new MongoServerError(
        67,
        'CannotCreateIndex',
        `Values in the index key pattern can't be 0, empty strings or missing: ${field}`,
      );
    }
  }
  if (typeof spec.name !== 'string' || spec.name === '')
    throw badValue('index name must be a non-empty string');
  if (spec.name === '_id_') throw badValue('The index name "_id_" is reserved for the _id index');
  for (const option of Object.keys(spec)) {
    if (!ACCEPTED_OPTIONS.has(option))
      throw new MongoServerError(
        197,
        'InvalidIndexSpecificationOption',
        `The field '${option}' is not valid for an index specification.`,
      );
  }
  const out: Document = { key, name: spec.name };
  if (spec.unique === true) out.unique = true;
  if (spec.sparse === true) out.sparse = true;
  if (spec.partialFilterExpression !== undefined) {
    if (!isPlainDocument(spec.partialFilterExpression))
      throw badValue('partialFilterExpression must be an object');
    compileFilter(spec.partialFilterExpression);
    out.partialFilterExpression = spec.partialFilterExpression;
  }
  if (spec.expireAfterSeconds !== undefined) {
    const secs = toJsNumber(spec.expireAfterSeconds);
    if (!Number.isFinite(secs) || secs < 0) {
      throw new MongoServerError(
        67,
        'CannotCreateIndex',
        "TTL index 'expireAfterSeconds' option must be within an acceptable range",
      );
    }
    if (Object.keys(key).length !== 1)
      throw new MongoServerError(
        67,
        'CannotCreateIndex',
        'TTL indexes are single-field indexes, compound indexes do not support TTL',
      );
    out.expireAfterSeconds = spec.expireAfterSeconds;
  }
  if (spec.collation !== undefined) out.collation = spec.collation;
  return out;
}

/**
 * The specs that must actually be built: identical re-creations are skipped, conflicting ones refused
 * (IndexOptionsConflict 85 / IndexKeySpecsConflict 86, as MongoDB does).
 */
export function createIndexSpecs(specs: IndexSpec[], existing: IndexMeta[]): Document[] {
  if (!Array.isArray(specs) || specs.length === 0)
    throw badValue('Must specify at least one index to create');
  const out: Document[] = [];
  const all = [...existing.map((e) => e.spec)];
  for (const raw of specs) {
    const spec = normalise(raw);
    if (Object.keys(spec.key as Document).length === 1 && '_id' in (spec.key as Document) && !spec.unique) {
      continue; // the `_id_` index always exists
    }
    const sameName = all.find((e) => e.name === spec.name);
    if (sameName) {
      if (!valuesEqual(sameName.key, spec.key)) {
        throw new MongoServerError(
          86,
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}`,
        );
      }
      if (SIGNIFICANT.some((o) => !sameOption(sameName[o], spec[o]))) {
        throw new MongoServerError(
          85,
          'IndexOptionsConflict',
          `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}`,
        );
      }
      continue;
    }
    const sameKey = all.find(
      (e) =>
        valuesEqual(e.key, spec.key) && sameOption(e.partialFilterExpression, spec.partialFilterExpression),
    );
    if (sameKey) {
      throw new MongoServerError(
        85,
        'IndexOptionsConflict',
        `Index already exists with a different name: ${String(sameKey.name)}`,
      );
    }
    all.push(spec);
    out.push(spec);
  }
  return out;
}

function sameOption(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b || a === false || b === false;
  return valuesEqual(a, b);
}
