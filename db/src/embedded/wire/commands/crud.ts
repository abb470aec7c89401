/** Reads and writes: insert, find/getMore/killCursors, update, delete, findAndModify, aggregate, count, distinct. */
import { Long, ObjectId, type Document } from 'bson';
import type { DeleteStatement, UpdateStatement, WriteError } from '../../engine/types';
import type { CommandHandler } from '../context';
import { MAX_WRITE_BATCH_SIZE } from '../constants';
import { serverError } from '../errors';
import {
  batchSizeOf,
  collectionName,
  isDocument,
  numericValue,
  optionalBoolean,
  optionalDocument,
  optionalNonNegativeInt,
  optionalNumber,
  requiredArray,
  requiredDocumentArray,
  truthy,
} from '../params';

function checkBatch(statements: unknown[], field: string): void {
  if (statements.length > MAX_WRITE_BATCH_SIZE) {
    throw serverError(
      'InvalidOptions',
      `Write batch sizes must be between 1 and ${MAX_WRITE_BATCH_SIZE}. Got ${statements.length} ${field}.`,
    );
  }
}

/** MongoDB's shape of a per-document write error: absent optional fields are left out, not sent as null. */
function writeErrorsReply(errors: WriteError[]): Document {
  if (errors.length === 0) return {};
  return {
    writeErrors: errors.map((error) => {
      const reply: Document = { index: error.index, code: error.code };
      if (error.codeName !== undefined) reply.codeName = error.codeName;
      if (error.keyPattern !== undefined) reply.keyPattern = error.keyPattern;
      if (error.keyValue !== undefined) reply.keyValue = error.keyValue;
      reply.errmsg = error.errmsg;
      return reply;
    }),
  };
}

/** Gives a document without `_id` a new ObjectId and puts `_id` first, as mongod stores it. */
function withIdFirst(doc: Document): Document {
  if (!Object.prototype.hasOwnProperty.call(doc, '_id')) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id: id, ...rest } = doc as { _id: unknown } & Document;
  return { _id: id, ...rest };
}

const insert: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'insert');
  const documents = requiredDocumentArray(body, 'documents');
  checkBatch(documents, 'documents');
  const ordered = optionalBoolean(body, 'ordered') ?? true;
  const result = ctx.server.engine.insert(ctx.db, coll, documents.map(withIdFirst), ordered);
  ctx.server.opcounters.insert += result.n;
  return { n: result.n, ...writeErrorsReply(result.writeErrors) };
};

function cursorReply(
  cursor: { id: Long; ns: string; batch: Document[] },
  field: 'firstBatch' | 'nextBatch',
): Document {
  return { cursor: { [field]: cursor.batch, id: cursor.id, ns: cursor.ns } };
}

const find: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'find');
  ctx.server.opcounters.query++;
  const limitValue = optionalNumber(body, 'limit');
  // A negative limit is the legacy spelling of "limit, in a single batch".
  const singleBatch = truthy(body.singleBatch) || (limitValue !== undefined && limitValue < 0);
  const limit = limitValue === undefined ? undefined : Math.trunc(Math.abs(limitValue));
  const docs = ctx.server.engine.find(ctx.db, coll, {
    filter: optionalDocument(body, 'filter'),
    projection: optionalDocument(body, 'projection'),
    sort: optionalDocument(body, 'sort'),
    skip: optionalNonNegativeInt(body, 'skip'),
    limit,
    hint: typeof body.hint === 'string' ? body.hint : optionalDocument(body, 'hint'),
  });
  const batchSize = optionalNonNegativeInt(body, 'batchSize');
  const cursor = ctx.server.cursors.open(`${ctx.db}.${coll}`, docs, batchSize, {
    singleBatch,
    noTimeout: truthy(body.noCursorTimeout),
  });
  return cursorReply(cursor, 'firstBatch');
};

/** getMore and killCursors also name system namespaces such as `$cmd.listCollections`. */
function cursorCollection(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw serverError('TypeMismatch', `BSON field '${field}' is missing or not a string`);
  return value;
}

function cursorId(value: unknown, field: string): Long {
  if (value instanceof Long) return value;
  const n = numericValue(value);
  if (n === undefined || !Number.isInteger(n))
    throw serverError('TypeMismatch', `BSON field '${field}' is the wrong type, expected a long`);
  return Long.fromNumber(n);
}

const getMore: CommandHandler = (body, ctx) => {
  const id = cursorId(body.getMore, 'getMore');
  const coll = cursorCollection(body.collection, 'collection');
  ctx.server.opcounters.getmore++;
  const cursor = ctx.server.cursors.getMore(
    id,
    `${ctx.db}.${coll}`,
    optionalNonNegativeInt(body, 'batchSize'),
  );
  return cursorReply(cursor, 'nextBatch');
};

const killCursors: CommandHandler = (body, ctx) => {
  const coll = cursorCollection(body.killCursors, 'killCursors');
  const ids = requiredArray(body, 'cursors').map((value, index) => cursorId(value, `cursors.${index}`));
  const { killed, notFound } = ctx.server.cursors.kill(`${ctx.db}.${coll}`, ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [] };
};

function parseUpdateStatement(statement: Document, index: number): UpdateStatement {
  if (!isDocument(statement.q))
    throw serverError('TypeMismatch', `BSON field 'updates.${index}.q' is missing or not an object`);
  const u: unknown = statement.u;
  if (!isDocument(u) && !(Array.isArray(u) && u.every(isDocument))) {
    throw serverError(
      'TypeMismatch',
      `BSON field 'updates.${index}.u' is missing or not an object or a pipeline`,
    );
  }
  const parsed: UpdateStatement = {
    q: statement.q,
    u,
    multi: truthy(statement.multi),
    upsert: truthy(statement.upsert),
  };
  if (statement.arrayFilters !== undefined)
    parsed.arrayFilters = requiredDocumentArray(statement, 'arrayFilters');
  return parsed;
}

const update: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'update');
  const statements = requiredDocumentArray(body, 'updates');
  checkBatch(statements, 'updates');
  const parsed = statements.map(parseUpdateStatement);
  const ordered = optionalBoolean(body, 'ordered') ?? true;
  const result = ctx.server.engine.update(ctx.db, coll, parsed, ordered);
  ctx.server.opcounters.update += parsed.length;
  return {
    n: result.n,
    nModified: result.nModified,
    ...(result.upserted.length > 0
      ? { upserted: result.upserted.map(({ index, _id }) => ({ index, _id })) }
      : {}),
    ...writeErrorsReply(result.writeErrors),
  };
};

function parseDeleteStatement(statement: Document, index: number): DeleteStatement {
  if (!isDocument(statement.q))
    throw serverError('TypeMismatch', `BSON field 'deletes.${index}.q' is missing or not an object`);
  const limit = numericValue(statement.limit);
  if (limit !== 0 && limit !== 1) {
    throw serverError(
      'FailedToParse',
      `The limit field in delete objects must be 0 or 1. Got ${String(limit ?? statement.limit)}`,
    );
  }
  return { q: statement.q, limit };
}

const remove: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'delete');
  const statements = requiredDocumentArray(body, 'deletes');
  checkBatch(statements, 'deletes');
  const parsed = statements.map(parseDeleteStatement);
  const ordered = optionalBoolean(body, 'ordered') ?? true;
  const result = ctx.server.engine.delete(ctx.db, coll, parsed, ordered);
  ctx.server.opcounters.delete += parsed.length;
  return { n: result.n, ...writeErrorsReply(result.writeErrors) };
};

function findAndModifyNamed(command: string): CommandHandler {
  return (body, ctx) => {
    const coll = collectionName(body, command);
    const removeDoc = truthy(body.remove);
    const upsert = truthy(body.upsert);
    const returnNew = truthy(body.new);
    const updateValue: unknown = body.update;
    if (removeDoc && updateValue !== undefined)
      throw serverError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (!removeDoc && updateValue === undefined)
      throw serverError('FailedToParse', 'Either an update or remove=true must be specified');
    if (removeDoc && upsert)
      throw serverError('FailedToParse', 'Cannot specify both upsert=true and remove=true ');
    if (removeDoc && returnNew) {
      throw serverError(
        'FailedToParse',
        "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
      );
    }
    if (
      updateValue !== undefined &&
      !isDocument(updateValue) &&
      !(Array.isArray(updateValue) && updateValue.every(isDocument))
    ) {
      throw serverError('FailedToParse', 'Update argument must be either an object or an array');
    }
    const result = ctx.server.engine.findAndModify(ctx.db, coll, {
      query: optionalDocument(body, 'query'),
      sort: optionalDocument(body, 'sort'),
      remove: removeDoc,
      update: updateValue,
      new: returnNew,
      fields: optionalDocument(body, 'fields'),
      upsert,
      arrayFilters: body.arrayFilters === undefined ? undefined : requiredDocumentArray(body, 'arrayFilters'),
    });
    if (removeDoc) ctx.server.opcounters.delete++;
    else ctx.server.opcounters.update++;
    return { lastErrorObject: result.lastErrorObject, value: result.value };
  };
}

function rejectChangeStreams(pipeline: Document[]): void {
  if (pipeline.some((stage) => Object.prototype.hasOwnProperty.call(stage, '$changeStream'))) {
    throw serverError('ChangeStreamNotSupported', 'Change streams are not supported by the embedded server');
  }
}

const aggregate: CommandHandler = (body, ctx) => {
  const pipeline = requiredDocumentArray(body, 'pipeline');
  rejectChangeStreams(pipeline);
  if (body.aggregate !== undefined && typeof body.aggregate !== 'string') {
    throw serverError(
      'InvalidNamespace',
      'Collection-less aggregate is not supported by the embedded server',
    );
  }
  const coll = collectionName(body, 'aggregate');
  if (truthy(body.explain))
    throw serverError('IllegalOperation', 'explain is not supported by the embedded server');
  const cursorOptions = optionalDocument(body, 'cursor');
  if (cursorOptions === undefined) {
    throw serverError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  ctx.server.opcounters.command++;
  const docs = ctx.server.engine.aggregate(ctx.db, coll, pipeline);
  const cursor = ctx.server.cursors.open(`${ctx.db}.${coll}`, docs, batchSizeOf(cursorOptions));
  return cursorReply(cursor, 'firstBatch');
};

const count: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'count');
  const limit = optionalNumber(body, 'limit');
  const n = ctx.server.engine.count(
    ctx.db,
    coll,
    optionalDocument(body, 'query'),
    optionalNonNegativeInt(body, 'skip'),
    limit === undefined ? undefined : Math.trunc(Math.abs(limit)),
  );
  return { n };
};

const distinct: CommandHandler = (body, ctx) => {
  const coll = collectionName(body, 'distinct');
  if (typeof body.key !== 'string')
    throw serverError('TypeMismatch', "BSON field 'distinct.key' is missing or not a string");
  return { values: ctx.server.engine.distinct(ctx.db, coll, body.key, optionalDocument(body, 'query')) };
};

export const crudCommands: Record<string, CommandHandler> = {
  insert,
  find,
  getMore,
  killCursors,
  update,
  delete: remove,
  findAndModify: findAndModifyNamed('findAndModify'),
  findandmodify: findAndModifyNamed('findandmodify'),
  aggregate,
  count,
  distinct,
};
