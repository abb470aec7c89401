/**
 * Aggregation pipelines. A leading `$match` is answered by the engine (so it can use an index); the rest
 * runs through mingo on the canonical view, except `$sort`, which the engine applies itself so that values
 * of different types sort in MongoDB's order. `$lookup` resolves foreign collections of the same database.
 *
 * Results are converted back to exact BSON: a value copied unchanged from the input document with the same
 * `_id` keeps its exact type; accumulators of a `$group` over stored documents get MongoDB's result types
 * (group-types.ts); other computed numbers become Int32 when they are integers that fit, Long when larger
 * safe integers, Double otherwise (a pragmatic rule, since mingo computes on JS numbers).
 */
import { Aggregator } from 'mingo';
import type { Document } from 'bson';
import { fromCanonical, restoreTypes, toCanonical } from './canonical';
import { badValue } from './errors';
import { MongoServerError } from './types';
import { applyGroupHints, groupHints } from './group-types';
import { encodeValue } from './index-keys';
import { MINGO_OPTIONS, parseSort, refuseScripts, sortDocuments, translateMingoError } from './query';
import { isPlainDocument } from './values';

export interface AggregationSources {
  /** Documents of the aggregated collection matching `filter` (exact BSON). */
  source(filter: Document | undefined): Document[];
  /** All documents of another collection of the same database (for `$lookup`). */
  collection(name: string): Document[];
}

const REFUSED_STAGES = new Set([
  '$out',
  '$merge',
  '$changeStream',
  '$currentOp',
  '$listSessions',
  '$collStats',
  '$indexStats',
  '$planCacheStats',
]);

/** The accumulators `$group` knows (MongoDB 7). `$accumulator` runs JavaScript: refused with the scripts. */
const GROUP_ACCUMULATORS = new Set([
  '$accumulator',
  '$addToSet',
  '$avg',
  '$bottom',
  '$bottomN',
  '$count',
  '$first',
  '$firstN',
  '$last',
  '$lastN',
  '$max',
  '$maxN',
  '$median',
  '$mergeObjects',
  '$min',
  '$minN',
  '$percentile',
  '$push',
  '$stdDevPop',
  '$stdDevSamp',
  '$sum',
  '$top',
  '$topN',
]);

/**
 * mingo reports an unknown accumulator and an unknown expression operator alike; MongoDB answers 15952 for
 * the first, so `$group` fields are checked here before mingo sees them.
 */
function checkGroupAccumulators(group: Document): void {
  for (const [field, spec] of Object.entries(group)) {
    if (field === '_id') continue;
    if (!isPlainDocument(spec)) {
      throw new MongoServerError(
        40234,
        'Location40234',
        `The field '${field}' must be an accumulator object`,
      );
    }
    const operators = Object.keys(spec);
    if (operators.length !== 1) {
      throw new MongoServerError(40238, 'Location40238', `The field '${field}' must specify one accumulator`);
    }
    const operator = operators[0] ?? '';
    if (!GROUP_ACCUMULATORS.has(operator)) {
      throw new MongoServerError(15952, 'Location15952', `unknown group operator '${operator}'`);
    }
  }
}

export function runAggregation(pipeline: Document[], sources: AggregationSources): Document[] {
  if (!Array.isArray(pipeline)) throw badValue("'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    if (!isPlainDocument(stage) || Object.keys(stage).length !== 1) {
      throw badValue('A pipeline stage specification object must contain exactly one field.');
    }
    const name = Object.keys(stage)[0] ?? '';
    if (REFUSED_STAGES.has(name)) throw badValue(`${name} is not supported by the embedded server`);
    if (isPlainDocument(stage.$group)) checkGroupAccumulators(stage.$group);
  }
  refuseScripts(pipeline);

  let stages = pipeline;
  let filter: Document | undefined;
  const first = pipeline[0];
  if (first && isPlainDocument(first.$match)) {
    filter = first.$match;
    stages = pipeline.slice(1);
  }
  const inputs = sources.source(filter);
  const byId = new Map<string, Document>();
  for (const doc of inputs) byId.set(encodeValue(doc._id), doc);

  let docs = inputs.map((d) => toCanonical(d) as Document);
  // Canonical input document → exact one, while stages pass the same objects along ($match, $sort, ...).
  const exactOf = new WeakMap<Document, Document>();
  docs.forEach((d, i) => exactOf.set(d, inputs[i] ?? {}));
  // `$group` outputs whose accumulator types are known (see group-types.ts).
  const typedOutputs = new WeakMap<Document, ReturnType<typeof groupHints>>();
  const lookupCache = new Map<string, Document[]>();
  const options = {
    ...MINGO_OPTIONS,
    collectionResolver: (name: string): Document[] => {
      let found = lookupCache.get(name);
      if (!found) {
        found = sources.collection(name).map((d) => toCanonical(d) as Document);
        lookupCache.set(name, found);
      }
      return found;
    },
  };

  let segment: Document[] = [];
  const flush = (): void => {
    if (segment.length === 0) return;
    try {
      docs = new Aggregator(toCanonical(segment) as Document[], options).run<Document>(docs);
    } catch (err) {
      throw translateMingoError(err);
    }
    segment = [];
  };
  for (const stage of stages) {
    if (isPlainDocument(stage.$group)) {
      flush();
      const exact = docs.map((d) => exactOf.get(d));
      segment.push(stage);
      flush();
      if (exact.every((d) => d !== undefined)) {
        const hints = groupHints(stage.$group, exact);
        if (hints.size > 0) for (const out of docs) typedOutputs.set(out, hints);
      }
    } else if (isPlainDocument(stage.$sort)) {
      flush();
      docs = sortDocuments(docs, parseSort(stage.$sort), (d) => d);
    } else if (typeof stage.$count === 'string') {
      // $count is a $group: no input, no output document (mingo would emit a count of 0).
      flush();
      const name = stage.$count;
      if (name === '' || name.startsWith('$') || name.includes('.')) {
        throw badValue('the count field must be a non-empty string that does not start with $ or contain .');
      }
      docs = docs.length === 0 ? [] : [{ [name]: docs.length }];
    } else segment.push(stage);
  }
  flush();

  return docs.map((raw) => {
    const hints = typedOutputs.get(raw);
    const out = hints ? applyGroupHints(raw, hints) : raw;
    const ref = out._id === undefined ? undefined : byId.get(encodeValue(fromCanonical(out._id)));
    return (ref ? restoreTypes(out, ref) : fromCanonical(out)) as Document;
  });
}
