/**
 * The contract between the wire layer (`../wire`, which speaks the MongoDB protocol and parses commands)
 * and the storage engine (`./`, which keeps collections durably in SQLite and evaluates queries, updates
 * and aggregations).
 *
 * Documents cross this boundary as BSON `Document`s deserialized with `promoteValues: false`, so that every
 * value keeps its exact BSON type (Int32 versus Double versus Long, Decimal128, Binary subtypes…). The engine
 * returns documents in the same exact form; the wire layer serializes them back unchanged.
 *
 * Every method is synchronous: better-sqlite3 is synchronous, and a synchronous engine is what makes each
 * write atomic per document and concurrent writers serialised (the event loop is the single writer).
 * A method that returns has committed its writes to disk (SQLite WAL, synchronous=FULL).
 */
import type { Document } from 'bson';

/** An error the wire layer turns into `{ ok: 0, errmsg, code, codeName, ...extra }`. */
export class MongoServerError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    /** Extra fields for the reply, e.g. `keyPattern` and `keyValue` on a duplicate key error. */
    readonly extra: Document = {},
  ) {
    super(message);
    this.name = 'MongoServerError';
  }
}

/** A per-document failure inside a write command (insert/update/delete), as MongoDB reports it. */
export interface WriteError {
  index: number;
  code: number;
  codeName?: string;
  errmsg: string;
  keyPattern?: Document;
  keyValue?: Document;
}

export interface FindOptions {
  filter?: Document;
  projection?: Document;
  sort?: Document;
  skip?: number;
  /** 0 or absent: no limit. */
  limit?: number;
  hint?: Document | string;
}

export interface UpdateStatement {
  q: Document;
  /** An update-operator document, a replacement document, or an aggregation pipeline (array). */
  u: Document | Document[];
  multi?: boolean;
  upsert?: boolean;
  arrayFilters?: Document[];
}

export interface DeleteStatement {
  q: Document;
  /** 0: all matching documents; 1: at most one. */
  limit: 0 | 1;
}

export interface WriteResult {
  n: number;
  writeErrors: WriteError[];
}

export interface UpdateResult extends WriteResult {
  nModified: number;
  upserted: { index: number; _id: unknown }[];
}

export interface FindAndModifyOptions {
  query?: Document;
  sort?: Document;
  remove?: boolean;
  update?: Document | Document[];
  new?: boolean;
  fields?: Document;
  upsert?: boolean;
  arrayFilters?: Document[];
}

export interface FindAndModifyResult {
  value: Document | null;
  lastErrorObject: { n: number; updatedExisting?: boolean; upserted?: unknown };
}

export interface IndexSpec {
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

export interface CollectionInfo {
  name: string;
  type: 'collection';
  options: Document;
  info: { readOnly: false; uuid: unknown };
  idIndex: Document;
}

export interface StorageEngine {
  // databases
  listDatabases(): { name: string; sizeOnDisk: number; empty: boolean }[];
  dropDatabase(db: string): void;

  // collections
  listCollections(db: string, filter?: Document): CollectionInfo[];
  /** Throws NamespaceExists (48) if it exists. */
  createCollection(db: string, coll: string, options?: Document): void;
  /** Returns false when there was no such collection. */
  dropCollection(db: string, coll: string): boolean;
  renameCollection(fromDb: string, from: string, toDb: string, to: string, dropTarget: boolean): void;

  // CRUD: a missing collection is created implicitly by writes and reads as empty.
  insert(db: string, coll: string, docs: Document[], ordered: boolean): WriteResult;
  find(db: string, coll: string, options: FindOptions): Document[];
  update(db: string, coll: string, updates: UpdateStatement[], ordered: boolean): UpdateResult;
  delete(db: string, coll: string, deletes: DeleteStatement[], ordered: boolean): WriteResult;
  findAndModify(db: string, coll: string, options: FindAndModifyOptions): FindAndModifyResult;
  aggregate(db: string, coll: string, pipeline: Document[]): Document[];
  count(db: string, coll: string, query?: Document, skip?: number, limit?: number): number;
  distinct(db: string, coll: string, key: string, query?: Document): unknown[];

  // indexes; the `_id_` index always exists and cannot be dropped.
  createIndexes(
    db: string,
    coll: string,
    specs: IndexSpec[],
  ): { numIndexesBefore: number; numIndexesAfter: number };
  listIndexes(db: string, coll: string): Document[];
  /** `'*'` drops all but `_id_`. Throws IndexNotFound (27) for an unknown name. */
  dropIndexes(db: string, coll: string, names: string[] | '*' | Document): void;

  // figures
  collStats(
    db: string,
    coll: string,
  ): {
    count: number;
    size: number;
    storageSize: number;
    nindexes: number;
    totalIndexSize: number;
    avgObjSize: number;
  };
  dbStats(db: string): {
    collections: number;
    objects: number;
    dataSize: number;
    storageSize: number;
    indexes: number;
    indexSize: number;
  };

  /** Removes expired documents of every TTL index; the engine also runs this on its own timer. */
  expireTtl(now?: Date): number;
  /** Flushes and closes the SQLite database; the engine must not be used afterwards. */
  close(): void;
}

export interface EngineOptions {
  /** Folder that holds the SQLite database file(s). Created when missing. */
  dataDir: string;
  /** How often the TTL monitor runs, in ms. MongoDB runs it every 60 s; tests use less. */
  ttlIntervalMs?: number;
  /**
   * Checkpoint the write-ahead log from a thread of its own this often, in ms, instead of within the commit
   * that fills it (see checkpointer.ts). 0 or absent: SQLite's automatic checkpoints.
   */
  checkpointIntervalMs?: number;
}
