/** Databases, collections and indexes: listing, creating, dropping, renaming and their figures. */
import type { Document } from 'bson';
import type { IndexSpec } from '../../engine/types';
import type { CommandContext, CommandHandler } from '../context';
import { serverError } from '../errors';
import {
  batchSizeOf,
  collectionName,
  isDocument,
  optionalBoolean,
  optionalDocument,
  requiredDocumentArray,
  truthy,
} from '../params';

/** Fields of a command body that are envelope, not options (session, read preference, API version…). */
const GENERIC_FIELDS = new Set([
  '$db',
  'lsid',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

function optionsOf(body: Document, command: string): Document {
  const options: Document = {};
  for (const [key, value] of Object.entries(body) as [string, unknown][]) {
    if (key !== command && !GENERIC_FIELDS.has(key)) options[key] = value;
  }
  return options;
}

function collectionExists(ctx: CommandContext, coll: string): boolean {
  return ctx.server.engine.listCollections(ctx.db, { name: coll }).some((info) => info.name === coll);
}

const listDatabases: CommandHandler = (body, ctx) => {
  const nameOnly = truthy(body.nameOnly);
  const filter = optionalDocument(body, 'filter');
  let databases = ctx.server.engine.listDatabases();
  // Only equality on `name` is supported as a filter, which is what tools send.
  if (filter !== undefined && typeof filter.name === 'string')
    databases = databases.filter((d) => d.name === filter.name);
  if (nameOnly) return { databases: databases.map((d) => ({ name: d.name })) };
  const totalSize = databases.reduce((sum, d) => sum + d.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.floor(totalSize / (1024 * 1024)) };
};

const listCollections: CommandHandler = (body, ctx) => {
  const filter = optionalDocument(body, 'filter');
  const nameOnly = truthy(body.nameOnly);
  const infos = ctx.server.engine.listCollections(ctx.db, filter);
  const docs: Document[] = nameOnly
    ? infos.map((info) => ({ name: info.name, type: info.type }))
    : infos.map((info) => ({ ...info }));
  const cursor = ctx.server.cursors.open(
    `${ctx.db}.$cmd.listCollections`,
    docs,
    batchSizeOf(optionalDocument(body, 'cursor')),
  );
  return { cursor: { id: cursor.id, ns: cursor.ns, firstBatch: cursor.batch } };
};

const create: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'create');
  ctx.server.engine.createCollection(ctx.db, coll, optionsOf(body, 'create'));
  return {};
};

const drop: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'drop');
  const indexes = collectionExists(ctx, coll) ? ctx.server.engine.listIndexes(ctx.db, coll).length : 0;
  const dropped = ctx.server.engine.dropCollection(ctx.db, coll);
  // MongoDB 7 answers ok for a missing collection too.
  return dropped ? { nIndexesWas: indexes, ns: `${ctx.db}.${coll}` } : {};
};

const dropDatabase: CommandHandler = (_body, ctx) => {
  ctx.server.engine.dropDatabase(ctx.db);
  return { dropped: ctx.db };
};

function splitNamespace(value: unknown, field: string): { db: string; coll: string } {
  if (typeof value !== 'string')
    throw serverError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a string`);
  const dot = value.indexOf('.');
  if (dot <= 0 || dot === value.length - 1)
    throw serverError('InvalidNamespace', `Invalid namespace specified '${value}'`);
  return { db: value.slice(0, dot), coll: value.slice(dot + 1) };
}

const renameCollection: CommandHandler = (body, ctx) => {
  if (ctx.db !== 'admin')
    throw serverError('Unauthorized', 'renameCollection may only be run against the admin database.');
  const from = splitNamespace(body.renameCollection, 'renameCollection');
  const to = splitNamespace(body.to, 'to');
  ctx.server.engine.renameCollection(
    from.db,
    from.coll,
    to.db,
    to.coll,
    optionalBoolean(body, 'dropTarget') ?? false,
  );
  return {};
};

const collStats: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'collStats');
  const stats = ctx.server.engine.collStats(ctx.db, coll);
  return { ns: `${ctx.db}.${coll}`, ...stats };
};

const dbStats: CommandHandler = (_body, ctx) => {
  const stats = ctx.server.engine.dbStats(ctx.db);
  return {
    db: ctx.db,
    ...stats,
    avgObjSize: stats.objects === 0 ? 0 : stats.dataSize / stats.objects,
    scaleFactor: 1,
  };
};

const createIndexes: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'createIndexes');
  const specs = requiredDocumentArray(body, 'indexes');
  if (specs.length === 0) throw serverError('BadValue', 'Must specify at least one index to create');
  for (const spec of specs) {
    if (!isDocument(spec.key))
      throw serverError('FailedToParse', "The 'key' field is a required property of an index specification");
    if (typeof spec.name !== 'string' || spec.name === '')
      throw serverError('FailedToParse', "The 'name' field is a required property of an index specification");
  }
  const existed = collectionExists(ctx, coll);
  const result = ctx.server.engine.createIndexes(ctx.db, coll, specs as IndexSpec[]);
  return {
    numIndexesBefore: result.numIndexesBefore,
    numIndexesAfter: result.numIndexesAfter,
    createdCollectionAutomatically: !existed,
    ...(result.numIndexesBefore === result.numIndexesAfter ? { note: 'all indexes already exist' } : {}),
  };
};

const listIndexes: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'listIndexes');
  if (!collectionExists(ctx, coll))
    throw serverError('NamespaceNotFound', `ns does not exist: ${ctx.db}.${coll}`);
  const docs = ctx.server.engine.listIndexes(ctx.db, coll);
  const cursor = ctx.server.cursors.open(
    `${ctx.db}.${coll}`,
    docs,
    batchSizeOf(optionalDocument(body, 'cursor')),
  );
  return { cursor: { id: cursor.id, ns: cursor.ns, firstBatch: cursor.batch } };
};

function dropIndexesNamed(command: string): CommandHandler {
  return (body, ctx) => {
    const coll = collectionName(body, command);
    if (!collectionExists(ctx, coll))
      throw serverError('NamespaceNotFound', `ns not found ${ctx.db}.${coll}`);
    const index: unknown = body.index;
    const nIndexesWas = ctx.server.engine.listIndexes(ctx.db, coll).length;
    if (index === '*') ctx.server.engine.dropIndexes(ctx.db, coll, '*');
    else if (typeof index === 'string') ctx.server.engine.dropIndexes(ctx.db, coll, [index]);
    else if (Array.isArray(index) && index.every((name) => typeof name === 'string'))
      ctx.server.engine.dropIndexes(ctx.db, coll, index);
    else if (isDocument(index)) ctx.server.engine.dropIndexes(ctx.db, coll, index);
    else
      throw serverError(
        'TypeMismatch',
        "BSON field 'index' is the wrong type, expected a string, an array of strings or an object",
      );
    return { nIndexesWas };
  };
}

export const catalogCommands: Record<string, CommandHandler> = {
  listDatabases,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  collStats,
  dbStats,
  dbstats: dbStats,
  createIndexes,
  listIndexes,
  dropIndexes: dropIndexesNamed('dropIndexes'),
  deleteIndexes: dropIndexesNamed('deleteIndexes'),
};
