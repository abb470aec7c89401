/**
 * The storage engine: collections of raw BSON documents in SQLite, secondary indexes as key rows, queries,
 * updates and aggregations evaluated in process. Every public method runs in one SQLite transaction, so a
 * method that returns has committed (WAL, synchronous=FULL) and a failing command leaves nothing behind.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { BSON, ObjectId, type Document } from 'bson';
import {
  Catalog,
  ID_INDEX_SPEC,
  validateCollName,
  validateDbName,
  type CollectionMeta,
  type IndexMeta,
} from './catalog';
import { runAggregation } from './aggregate';
import { arrivedBytesOf } from './arrived-bytes';
import {
  asServerError,
  badValue,
  BSON_MAX_SIZE,
  duplicateKey,
  failedToParse,
  indexNotFound,
  invalidOptions,
  namespaceExists,
  namespaceNotFound,
  tooLarge,
} from './errors';
import { documentKeys, encodeDate, encodeValue, type DocumentKey } from './index-keys';
import { valuesAtPath } from './paths';
import { planQuery, type IndexInfo, type Plan } from './planner';
import { compileProjection } from './projection';
import { compileFilter, parseSort, sortDocuments, type CompiledFilter } from './query';
import { BackgroundCheckpointer, BACKSTOP_PAGES } from './checkpointer';
import {
  DATABASE_FILE,
  FORMAT_VERSION,
  openDatabase,
  setFormatVersion,
  StatementCache,
  type Db,
} from './storage';
import {
  MongoServerError,
  type CollectionInfo,
  type DeleteStatement,
  type EngineOptions,
  type FindAndModifyOptions,
  type FindAndModifyResult,
  type FindOptions,
  type IndexSpec,
  type StorageEngine,
  type UpdateResult,
  type UpdateStatement,
  type WriteError,
  type WriteResult,
} from './types';
import { applyUpdate, classifyUpdate, upsertSeed } from './update';
import { isPlainDocument, kindOf, toJsNumber, valuesEqual, entriesOf } from './values';
import { createIndexSpecs } from './index-specs';

/** The `_id_` index as the planner sees it (its entries are the documents table's `id_key` column). */
const ID_INDEX: IndexInfo = {
  id: 0,
  name: '_id_',
  fields: ['_id'],
  unique: true,
  sparse: false,
  partial: false,
  multikey: false,
};

/** Rows read per scan step. */
const SCAN_BATCH = 256;
/** Index entries per multi-row INSERT (3 parameters each, far below SQLite's limit of 32,766). */
const ENTRY_ROWS_PER_STATEMENT = 32;
const insertEntriesSqlByRows: string[] = [];
/** `INSERT OR IGNORE INTO index_entries` of `rows` rows; the text is the statement cache's key. */
function insertEntriesSql(rows: number): string {
  let sql = insertEntriesSqlByRows[rows];
  if (sql === undefined) {
    sql = `INSERT OR IGNORE INTO index_entries (index_id, key, doc_id) VALUES ${Array<string>(rows).fill('(?, ?, ?)').join(', ')}`;
    insertEntriesSqlByRows[rows] = sql;
  }
  return sql;
}
const DESERIALIZE = { promoteValues: false, bsonRegExp: true } as const;
const SERIALIZE = { checkKeys: false, ignoreUndefined: true } as const;

export interface StoredDoc {
  docId: number;
  doc: Document;
  raw: Buffer;
}

export function deserialize(raw: Buffer): Document {
  return BSON.deserialize(raw, DESERIALIZE);
}

/**
 * Serialises a document to store, refusing documents over 16 MiB (bson's own buffer is barely larger, so an
 * oversized document may also surface as a RangeError from the serializer).
 */
function serialize(doc: Document, afterUpdate = false): Buffer {
  let raw: Uint8Array;
  try {
    raw = BSON.serialize(doc, SERIALIZE);
  } catch (err) {
    // Values bson cannot serialise (e.g. a key with a NUL byte) are this document's fault, not the server's.
    if (!(err instanceof RangeError)) throw badValue(err instanceof Error ? err.message : String(err));
    raw = new Uint8Array(0);
    const size = BSON.calculateObjectSize(doc, SERIALIZE);
    if (size <= BSON_MAX_SIZE) throw err;
    throw afterUpdate ? updateTooLarge() : tooLarge(size);
  }
  if (raw.length > BSON_MAX_SIZE) throw afterUpdate ? updateTooLarge() : tooLarge(raw.length);
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

/** The bytes `doc` arrived in, when they can be stored as they are: `_id` first, within the size limit. */
function storableArrivedBytes(doc: Document): Buffer | undefined {
  const bytes = arrivedBytesOf(doc);
  if (bytes === undefined || Object.keys(doc)[0] !== '_id') return undefined;
  if (bytes.length > BSON_MAX_SIZE) throw tooLarge(bytes.length);
  return bytes;
}

function updateTooLarge(): MongoServerError {
  return new MongoServerError(
    17419,
    'Location17419',
    `Resulting document after update is larger than ${BSON_MAX_SIZE}`,
  );
}

function toWriteError(index: number, err: unknown): WriteError {
  const e = asServerError(err);
  const out: WriteError = { index, code: e.code, codeName: e.codeName, errmsg: e.message };
  if (e.extra.keyPattern !== undefined) out.keyPattern = e.extra.keyPattern as Document;
  if (e.extra.keyValue !== undefined) out.keyValue = e.extra.keyValue as Document;
  return out;
}

/** Errors that belong to one document of a write command; anything else aborts the whole command. */
function isDocumentError(err: unknown): err is MongoServerError {
  return err instanceof MongoServerError;
}

export class SqliteEngine implements StorageEngine {
  private readonly db: Db;
  private readonly stmts: StatementCache;
  private readonly catalog: Catalog;
  private readonly ttlTimer: NodeJS.Timeout | undefined;
  private readonly checkpointer: BackgroundCheckpointer | undefined;
  private closed = false;
  /** Documents read from storage since the engine opened: lets tests see whether a query used an index. */
  documentsRead = 0;
  /** The plan of the most recent query (for tests and diagnostics). */
  lastPlan: Plan['kind'] = 'scan';

  constructor(options: EngineOptions) {
    const { db, foundVersion } = openDatabase(options.dataDir);
    this.db = db;
    this.stmts = new StatementCache(this.db);
    this.catalog = new Catalog(this.db, this.stmts);
    if (foundVersion < FORMAT_VERSION) {
      try {
        this.tx(() => {
          this.rebuildKeys();
          setFormatVersion(this.db, FORMAT_VERSION);
        });
      } catch (err) {
        this.db.close();
        throw err;
      }
    }
    if (options.checkpointIntervalMs !== undefined && options.checkpointIntervalMs > 0) {
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.checkpointer = new BackgroundCheckpointer(
        path.join(options.dataDir, DATABASE_FILE),
        options.checkpointIntervalMs,
        (message) => console.error('embedded engine: background checkpoint failed:', message),
      );
    }
    const interval = options.ttlIntervalMs ?? 60_000;
    if (interval > 0) {
      this.ttlTimer = setInterval(() => this.runTtlMonitor(), interval);
      this.ttlTimer.unref();
    }
  }

  private runTtlMonitor(): void {
    if (this.closed) return;
    try {
      this.expireTtl();
    } catch (err) {
      // The monitor must never take the process down; it tries again on the next tick.
      console.error('embedded engine: TTL monitor failed', err);
    }
  }

  /**
   * Runs `fn` in one transaction (a write transaction unless `read`: reads take a snapshot without the write
   * lock); on failure the catalog cache is dropped since its rows were rolled back.
   */
  private tx<T>(fn: () => T, read = false): T {
    if (this.closed)
      throw new MongoServerError(11600, 'InterruptedAtShutdown', 'the storage engine is closed');
    try {
      const t = this.db.transaction(fn);
      return read ? t.deferred() : t.immediate();
    } catch (err) {
      this.catalog.reset();
      throw err;
    }
  }

  /** Re-encodes every `_id` key and rebuilds every index (after a change of the key encoding). */
  private rebuildKeys(): void {
    for (const dbName of this.catalog.databases()) {
      for (const meta of this.catalog.list(dbName)) {
        const setKey = this.stmts.get(`UPDATE ${meta.table} SET id_key = ? WHERE doc_id = ?`);
        for (const index of meta.indexes) {
          this.stmts.get('DELETE FROM index_entries WHERE index_id = ?').run(index.id);
        }
        for (const row of this.candidates(meta, { kind: 'scan' })) {
          const doc = deserialize(row.raw);
          setKey.run(encodeValue(doc._id), row.docId);
          for (const index of meta.indexes) this.addEntries(index, this.keysFor(index, doc), row.docId);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // reading

  private *candidates(coll: CollectionMeta, plan: Plan): Generator<{ docId: number; raw: Buffer }> {
    this.lastPlan = plan.kind;
    if (plan.kind === 'scan') {
      // Batches rather than one open cursor: the caller may write between rows (a connection with an
      // open statement cannot), and a limit stops reading early.
      const stmt = this.stmts.get(
        `SELECT doc_id AS docId, data AS raw FROM ${coll.table} WHERE doc_id > ? ORDER BY doc_id LIMIT ${SCAN_BATCH}`,
      );
      let after = -1;
      for (;;) {
        const batch = stmt.all(after) as { docId: number; raw: Buffer }[];
        for (const row of batch) {
          this.documentsRead++;
          yield row;
        }
        const last = batch[batch.length - 1];
        if (!last || batch.length < SCAN_BATCH) return;
        after = last.docId;
      }
    }
    if (plan.kind === 'range') {
      yield* this.rangeCandidates(coll, plan);
      return;
    }
    const rows: { docId: number; raw: Buffer }[] = [];
    const seen = new Set<number>();
    const add = (row: unknown): void => {
      const r = row as { docId: number; raw: Buffer } | undefined;
      if (r && !seen.has(r.docId)) {
        seen.add(r.docId);
        rows.push(r);
      }
    };
    if (plan.kind === 'id') {
      const stmt = this.stmts.get(`SELECT doc_id AS docId, data AS raw FROM ${coll.table} WHERE id_key = ?`);
      for (const key of plan.keys) add(stmt.get(key));
    } else if (!plan.prefix) {
      const stmt = this.stmts.get(
        `SELECT d.doc_id AS docId, d.data AS raw FROM index_entries e JOIN ${coll.table} d ON d.doc_id = e.doc_id WHERE e.index_id = ? AND e.key = ?`,
      );
      for (const key of plan.keys) for (const row of stmt.all(plan.index.id, key)) add(row);
    } else {
      const stmt = this.stmts.get(
        `SELECT d.doc_id AS docId, d.data AS raw FROM index_entries e JOIN ${coll.table} d ON d.doc_id = e.doc_id WHERE e.index_id = ? AND e.key >= ? AND e.key < ?`,
      );
      for (const key of plan.keys)
        for (const row of stmt.all(plan.index.id, `${key}\u0001`, `${key}\u0002`)) add(row);
    }
    rows.sort((a, b) => a.docId - b.docId);
    for (const row of rows) {
      this.documentsRead++;
      yield row;
    }
  }

  /** Index entries between the plan's bounds in key order, each document once (its first key). */
  private *rangeCandidates(
    coll: CollectionMeta,
    plan: Extract<Plan, { kind: 'range' }>,
  ): Generator<{ docId: number; raw: Buffer }> {
    const asc = plan.direction === 1;
    const onId = plan.index.id === ID_INDEX.id;
    // The `_id_` index is the documents table's own UNIQUE(id_key).
    const base = onId
      ? `SELECT e.id_key AS key, e.doc_id AS docId, e.data AS raw FROM ${coll.table} e WHERE e.id_key >= ? AND e.id_key < ?`
      : `SELECT e.key AS key, e.doc_id AS docId, d.data AS raw FROM index_entries e JOIN ${coll.table} d ON d.doc_id = e.doc_id WHERE e.index_id = ? AND e.key >= ? AND e.key < ?`;
    const keyColumn = onId ? 'e.id_key' : 'e.key';
    const scope = onId ? [] : [plan.index.id];
    const order = asc ? `ORDER BY ${keyColumn}, e.doc_id` : `ORDER BY ${keyColumn} DESC, e.doc_id DESC`;
    const first = this.stmts.get(`${base} ${order} LIMIT ${SCAN_BATCH}`);
    const next = this.stmts.get(
      `${base} AND (${keyColumn}, e.doc_id) ${asc ? '>' : '<'} (?, ?) ${order} LIMIT ${SCAN_BATCH}`,
    );
    const seen = new Set<number>();
    let batch = first.all(...scope, plan.lower, plan.upper) as {
      key: string;
      docId: number;
      raw: Buffer;
    }[];
    for (;;) {
      for (const row of batch) {
        if (seen.has(row.docId)) continue;
        seen.add(row.docId);
        this.documentsRead++;
        yield row;
      }
      const last = batch[batch.length - 1];
      if (!last || batch.length < SCAN_BATCH) return;
      batch = next.all(...scope, plan.lower, plan.upper, last.key, last.docId) as {
        key: string;
        docId: number;
        raw: Buffer;
      }[];
    }
  }

  /** Matching documents in natural order, sorted, then skipped and limited. */
  private select(
    coll: CollectionMeta | undefined,
    filter: Document | undefined,
    opts: { sort?: Document; skip?: number; limit?: number } = {},
    compiled?: CompiledFilter,
  ): StoredDoc[] {
    const matcher = compiled ?? compileFilter(filter);
    const sort = parseSort(opts.sort);
    if (!coll) return [];
    const skip = Math.max(0, opts.skip ?? 0);
    const limit = Math.max(0, opts.limit ?? 0);
    const plan = planQuery(filter, [ID_INDEX, ...coll.indexes], sort);
    const inOrder = sort.length === 0 || (plan.kind === 'range' && plan.sorted);
    const stopAt = inOrder && limit > 0 ? skip + limit : Infinity;
    const out = [...this.candidatesUntil(coll, plan, matcher, stopAt)];
    const sorted = inOrder ? out : sortDocuments(out, sort, (s) => s.doc);
    const start = Math.min(skip, sorted.length);
    return limit > 0 ? sorted.slice(start, start + limit) : sorted.slice(start);
  }

  private *candidatesUntil(
    coll: CollectionMeta,
    plan: Plan,
    matcher: CompiledFilter,
    stopAt: number,
  ): Generator<StoredDoc> {
    let found = 0;
    if (found >= stopAt) return;
    for (const row of this.candidates(coll, plan)) {
      const doc = deserialize(row.raw);
      if (!matcher.test(doc)) continue;
      yield { docId: row.docId, doc, raw: row.raw };
      if (++found >= stopAt) return;
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // writing one document

  private keysFor(index: IndexMeta, doc: Document): DocumentKey[] {
    if (index.partialFilter && !index.partialFilter.test(doc)) return [];
    return documentKeys(doc, index.fields, index.sparse) ?? [];
  }

  private checkUnique(coll: CollectionMeta, index: IndexMeta, keys: DocumentKey[], selfDocId: number): void {
    if (!index.unique) return;
    const stmt = this.stmts.get(
      'SELECT doc_id FROM index_entries WHERE index_id = ? AND key = ? AND doc_id != ? LIMIT 1',
    );
    for (const k of keys) {
      if (stmt.get(index.id, k.key, selfDocId) !== undefined) {
        const keyValue: Document = {};
        index.fields.forEach((f, i) => {
          keyValue[f] = k.values[i] === undefined ? null : k.values[i];
        });
        throw duplicateKey(`${coll.db}.${coll.name}`, index.name, index.keyPattern, keyValue);
      }
    }
  }

  private addEntries(index: IndexMeta, keys: DocumentKey[], docId: number): void {
    this.addEntriesOf([index], [keys], docId);
  }

  /**
   * Adds a document's entries of several indexes with multi-row INSERTs: a message's twenty entries (most
   * of them its search words) cost one statement call instead of twenty, and each call into SQLite has a
   * fixed cost of its own (binding, stepping, resetting) besides the B-tree insert.
   */
  private addEntriesOf(indexes: IndexMeta[], keysPerIndex: DocumentKey[][], docId: number): void {
    const params: (number | string)[] = [];
    indexes.forEach((index, i) => {
      const keys = keysPerIndex[i] ?? [];
      if (keys.length > 1) index.multikey = true;
      for (const k of keys) params.push(index.id, k.key, docId);
    });
    for (let start = 0; start < params.length; start += ENTRY_ROWS_PER_STATEMENT * 3) {
      const chunk =
        params.length <= ENTRY_ROWS_PER_STATEMENT * 3
          ? params
          : params.slice(start, start + ENTRY_ROWS_PER_STATEMENT * 3);
      this.stmts.get(insertEntriesSql(chunk.length / 3)).run(chunk);
    }
  }

  private removeEntries(index: IndexMeta, keys: DocumentKey[], docId: number): void {
    const stmt = this.stmts.get('DELETE FROM index_entries WHERE index_id = ? AND key = ? AND doc_id = ?');
    for (const k of keys) stmt.run(index.id, k.key, docId);
  }

  private static withId(doc: unknown): Document {
    if (!isPlainDocument(doc)) throw badValue('document to insert must be an object');
    if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
    const kind = kindOf(doc._id);
    if (kind === 'array') throw badValue("can't use an array for _id");
    if (kind === 'regex') throw badValue("can't use a regex for _id");
    return doc;
  }

  private insertOne(coll: CollectionMeta, input: unknown): Document {
    const doc = SqliteEngine.withId(input);
    const raw = (doc === input ? storableArrivedBytes(doc) : undefined) ?? serialize(doc);
    const idKey = encodeValue(doc._id);
    const idDuplicate = () =>
      duplicateKey(`${coll.db}.${coll.name}`, '_id_', { _id: 1 }, { _id: doc._id as unknown });
    const keys = coll.indexes.map((index) => this.keysFor(index, doc));
    if (coll.indexes.some((index) => index.unique)) {
      // `_id` is checked first so that it is the index reported when several would conflict.
      if (this.stmts.get(`SELECT 1 FROM ${coll.table} WHERE id_key = ?`).get(idKey) !== undefined)
        throw idDuplicate();
      coll.indexes.forEach((index, i) => this.checkUnique(coll, index, keys[i] ?? [], -1));
    }
    let info: Database.RunResult;
    try {
      info = this.stmts.get(`INSERT INTO ${coll.table} (id_key, data) VALUES (?, ?)`).run(idKey, raw);
    } catch (err) {
      // Without other unique indexes the table's UNIQUE(id_key) is the `_id` check (one statement less).
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_UNIQUE') throw idDuplicate();
      throw err;
    }
    const docId = Number(info.lastInsertRowid);
    this.addEntriesOf(coll.indexes, keys, docId);
    return doc;
  }

  /** Replaces a stored document; returns false when the new bytes are identical (nothing modified). */
  private replaceOne(coll: CollectionMeta, stored: StoredDoc, next: Document): boolean {
    const raw = serialize(next, true);
    if (raw.equals(stored.raw)) return false;
    const oldKeys = coll.indexes.map((index) => this.keysFor(index, stored.doc));
    const newKeys = coll.indexes.map((index) => this.keysFor(index, next));
    coll.indexes.forEach((index, i) => {
      const old = new Set((oldKeys[i] ?? []).map((k) => k.key));
      this.checkUnique(
        coll,
        index,
        (newKeys[i] ?? []).filter((k) => !old.has(k.key)),
        stored.docId,
      );
    });
    coll.indexes.forEach((index, i) => {
      const fresh = new Set((newKeys[i] ?? []).map((k) => k.key));
      const old = new Set((oldKeys[i] ?? []).map((k) => k.key));
      this.removeEntries(
        index,
        (oldKeys[i] ?? []).filter((k) => !fresh.has(k.key)),
        stored.docId,
      );
      this.addEntries(
        index,
        (newKeys[i] ?? []).filter((k) => !old.has(k.key)),
        stored.docId,
      );
    });
    this.stmts.get(`UPDATE ${coll.table} SET data = ? WHERE doc_id = ?`).run(raw, stored.docId);
    stored.raw = raw;
    stored.doc = next;
    return true;
  }

  private deleteOne(coll: CollectionMeta, stored: StoredDoc): void {
    coll.indexes.forEach((index) => this.removeEntries(index, this.keysFor(index, stored.doc), stored.docId));
    this.stmts.get(`DELETE FROM ${coll.table} WHERE doc_id = ?`).run(stored.docId);
  }

  // ------------------------------------------------------------------------------------------------------
  // databases and collections

  listDatabases(): { name: string; sizeOnDisk: number; empty: boolean }[] {
    return this.tx(
      () =>
        this.catalog.databases().map((name) => {
          const size = this.catalog.list(name).reduce((sum, c) => sum + this.dataSize(c).size, 0);
          return { name, sizeOnDisk: size, empty: size === 0 };
        }),
      true,
    );
  }

  dropDatabase(db: string): void {
    this.tx(() => {
      for (const meta of this.catalog.list(db)) this.catalog.drop(meta);
    });
  }

  listCollections(db: string, filter?: Document): CollectionInfo[] {
    const matcher = compileFilter(filter);
    return this.tx(
      () =>
        this.catalog
          .list(db)
          .map((meta): CollectionInfo => ({
            name: meta.name,
            type: 'collection',
            options: meta.options,
            info: { readOnly: false, uuid: meta.uuid },
            idIndex: { ...ID_INDEX_SPEC },
          }))
          .filter((info) => matcher.test(info as unknown as Document)),
      true,
    );
  }

  createCollection(db: string, coll: string, options: Document = {}): void {
    this.tx(() => {
      if (this.catalog.get(db, coll)) throw namespaceExists(`${db}.${coll}`);
      const stored: Document = {};
      for (const [k, v] of entriesOf(options)) if (v !== undefined) stored[k] = v;
      this.catalog.create(db, coll, stored);
    });
  }

  dropCollection(db: string, coll: string): boolean {
    return this.tx(() => {
      const meta = this.catalog.get(db, coll);
      if (!meta) return false;
      this.catalog.drop(meta);
      return true;
    });
  }

  renameCollection(fromDb: string, from: string, toDb: string, to: string, dropTarget: boolean): void {
    this.tx(() => {
      const source = this.catalog.get(fromDb, from);
      if (!source) throw namespaceNotFound(`Source collection ${fromDb}.${from} does not exist`);
      if (fromDb === toDb && from === to) throw invalidOptions("Can't rename a collection to itself");
      const target = this.catalog.get(toDb, to);
      if (target) {
        if (!dropTarget) throw namespaceExists(`${toDb}.${to}`);
        this.catalog.drop(target);
      }
      this.catalog.rename(source, toDb, to);
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // CRUD

  insert(db: string, coll: string, docs: Document[], ordered: boolean): WriteResult {
    return this.tx(() => {
      const meta = this.catalog.ensure(db, coll);
      const writeErrors: WriteError[] = [];
      let n = 0;
      for (let i = 0; i < docs.length; i++) {
        try {
          this.insertOne(meta, docs[i]);
          n++;
        } catch (err) {
          if (!isDocumentError(err)) throw err;
          writeErrors.push(toWriteError(i, err));
          if (ordered) break;
        }
      }
      return { n, writeErrors };
    });
  }

  find(db: string, coll: string, options: FindOptions): Document[] {
    validateDbName(db);
    const projector = compileProjection(options.projection, options.filter);
    const skip = options.skip === undefined ? 0 : toJsNumber(options.skip);
    const limit = options.limit === undefined ? 0 : Math.abs(toJsNumber(options.limit));
    if (Number.isNaN(skip) || skip < 0) throw badValue('skip value must be non-negative');
    return this.tx(() => {
      const meta = this.catalog.get(db, coll);
      const rows = this.select(meta, options.filter, { sort: options.sort, skip, limit });
      return rows.map((r) => (projector ? projector(r.doc) : r.doc));
    }, true);
  }

  update(db: string, coll: string, updates: UpdateStatement[], ordered: boolean): UpdateResult {
    return this.tx(() => {
      const result: UpdateResult = { n: 0, nModified: 0, upserted: [], writeErrors: [] };
      let meta = this.catalog.get(db, coll);
      for (let i = 0; i < updates.length; i++) {
        const stmt = updates[i];
        try {
          if (!stmt || !isPlainDocument(stmt.q)) throw failedToParse('update statement needs a q document');
          classifyUpdate(stmt.u);
          const matcher = compileFilter(stmt.q);
          const matched = this.select(meta, stmt.q, { limit: stmt.multi === true ? 0 : 1 }, matcher);
          if (stmt.multi === true && !Array.isArray(stmt.u) && classifyUpdate(stmt.u) === 'replacement') {
            throw failedToParse('multi update is not supported for replacement-style update');
          }
          if (matched.length === 0) {
            if (stmt.upsert === true) {
              meta ??= this.catalog.ensure(db, coll);
              const doc = this.upsertDocument(stmt.q, stmt.u, stmt.arrayFilters);
              const inserted = this.insertOne(meta, doc);
              result.n++;
              result.upserted.push({ index: i, _id: inserted._id as unknown });
            }
            continue;
          }
          for (const stored of matched) {
            const next = applyUpdate(stored.doc, stmt.u, {
              query: stmt.q,
              arrayFilters: stmt.arrayFilters,
              inserting: false,
            });
            result.n++;
            if (meta && this.replaceOne(meta, stored, next)) result.nModified++;
          }
        } catch (err) {
          if (!isDocumentError(err)) throw err;
          result.writeErrors.push(toWriteError(i, err));
          if (ordered) break;
        }
      }
      return result;
    });
  }

  private upsertDocument(
    q: Document,
    u: Document | Document[],
    arrayFilters: Document[] | undefined,
  ): Document {
    const kind = classifyUpdate(u);
    const seed = upsertSeed(q);
    if (kind === 'replacement') {
      const replacement = u as Document;
      const doc = applyUpdate(seed._id === undefined ? {} : { _id: seed._id as unknown }, replacement, {
        query: q,
        inserting: true,
      });
      return doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc;
    }
    const withId =
      seed._id === undefined ? { _id: new ObjectId(), ...seed } : { _id: seed._id as unknown, ...seed };
    return applyUpdate(withId, u, { query: q, arrayFilters, inserting: true });
  }

  delete(db: string, coll: string, deletes: DeleteStatement[], ordered: boolean): WriteResult {
    return this.tx(() => {
      const meta = this.catalog.get(db, coll);
      const result: WriteResult = { n: 0, writeErrors: [] };
      for (let i = 0; i < deletes.length; i++) {
        const stmt = deletes[i];
        try {
          if (!stmt || !isPlainDocument(stmt.q)) throw failedToParse('delete statement needs a q document');
          const limit = toJsNumber(stmt.limit);
          if (limit !== 0 && limit !== 1)
            throw failedToParse(
              `The limit field in delete objects must be 0 or 1. Got ${String(stmt.limit)}`,
            );
          const matched = this.select(meta, stmt.q, { limit });
          if (!meta) continue;
          for (const stored of matched) {
            this.deleteOne(meta, stored);
            result.n++;
          }
        } catch (err) {
          if (!isDocumentError(err)) throw err;
          result.writeErrors.push(toWriteError(i, err));
          if (ordered) break;
        }
      }
      return result;
    });
  }

  findAndModify(db: string, coll: string, options: FindAndModifyOptions): FindAndModifyResult {
    const remove = options.remove === true;
    if (remove && options.update !== undefined)
      throw failedToParse('Cannot specify both an update and remove=true');
    if (!remove && options.update === undefined)
      throw failedToParse('Either an update or remove=true must be specified');
    if (remove && options.upsert === true)
      throw failedToParse('Cannot specify both upsert=true and remove=true');
    if (remove && options.new === true)
      throw failedToParse(
        "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
      );
    const query = options.query ?? {};
    const projector = compileProjection(options.fields, options.query);
    const project = (d: Document | null): Document | null => (d && projector ? projector(d) : d);
    if (options.update !== undefined) classifyUpdate(options.update);
    return this.tx(() => {
      let meta = this.catalog.get(db, coll);
      const [stored] = this.select(meta, query, { sort: options.sort, limit: 1 });
      if (remove) {
        if (!stored || !meta) return { value: null, lastErrorObject: { n: 0 } };
        this.deleteOne(meta, stored);
        return { value: project(stored.doc), lastErrorObject: { n: 1 } };
      }
      const update = options.update as Document | Document[];
      if (stored && meta) {
        const before = stored.doc;
        const next = applyUpdate(before, update, {
          query,
          arrayFilters: options.arrayFilters,
          inserting: false,
        });
        this.replaceOne(meta, stored, next);
        return {
          value: project(options.new === true ? next : before),
          lastErrorObject: { n: 1, updatedExisting: true },
        };
      }
      if (options.upsert !== true) return { value: null, lastErrorObject: { n: 0, updatedExisting: false } };
      meta ??= this.catalog.ensure(db, coll);
      const inserted = this.insertOne(meta, this.upsertDocument(query, update, options.arrayFilters));
      return {
        value: project(options.new === true ? inserted : null),
        lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id as unknown },
      };
    });
  }

  aggregate(db: string, coll: string, pipeline: Document[]): Document[] {
    return this.tx(
      () =>
        runAggregation(pipeline, {
          source: (filter) => this.select(this.catalog.get(db, coll), filter).map((s) => s.doc),
          collection: (name) => this.select(this.catalog.get(db, name), undefined).map((s) => s.doc),
        }),
      true,
    );
  }

  count(db: string, coll: string, query?: Document, skip?: number, limit?: number): number {
    const from = skip === undefined ? 0 : Math.max(0, toJsNumber(skip));
    const max = limit === undefined ? 0 : Math.abs(toJsNumber(limit));
    return this.tx(() => {
      const meta = this.catalog.get(db, coll);
      if (!meta) return 0;
      if (query === undefined || Object.keys(query).length === 0) {
        // No filter: the row count, without reading documents.
        const { total } = this.stmts.get(`SELECT count(*) AS total FROM ${meta.table} `).get() as {
          total: number;
        };
        const rest = Math.max(0, total - from);
        return max > 0 ? Math.min(rest, max) : rest;
      }
      return this.select(meta, query, { skip: from, limit: max }).length;
    }, true);
  }

  distinct(db: string, coll: string, key: string, query?: Document): unknown[] {
    if (typeof key !== 'string' || key === '') throw badValue('distinct key must be a non-empty string');
    return this.tx(() => {
      const seen = new Map<string, unknown>();
      for (const { doc } of this.select(this.catalog.get(db, coll), query)) {
        for (const v of valuesAtPath(doc, key)) {
          const values = Array.isArray(v) ? (v as unknown[]) : [v];
          for (const x of values) {
            const k = encodeValue(x);
            if (!seen.has(k)) seen.set(k, x);
          }
        }
      }
      return [...seen.values()];
    }, true);
  }

  // ------------------------------------------------------------------------------------------------------
  // indexes

  createIndexes(
    db: string,
    coll: string,
    specs: IndexSpec[],
  ): { numIndexesBefore: number; numIndexesAfter: number } {
    return this.tx(() => {
      const meta = this.catalog.ensure(db, coll);
      const before = meta.indexes.length + 1;
      for (const spec of createIndexSpecs(specs, meta.indexes)) {
        const index = this.catalog.addIndex(meta, spec);
        for (const row of this.candidates(meta, { kind: 'scan' })) {
          const doc = deserialize(row.raw);
          const keys = this.keysFor(index, doc);
          this.checkUnique(meta, index, keys, row.docId);
          this.addEntries(index, keys, row.docId);
        }
      }
      return { numIndexesBefore: before, numIndexesAfter: meta.indexes.length + 1 };
    });
  }

  listIndexes(db: string, coll: string): Document[] {
    return this.tx(() => {
      const meta = this.catalog.get(db, coll);
      if (!meta) throw namespaceNotFound(`ns does not exist: ${db}.${coll}`);
      return [{ ...ID_INDEX_SPEC }, ...meta.indexes.map((i) => ({ v: 2, ...i.spec }))];
    }, true);
  }

  dropIndexes(db: string, coll: string, names: string[] | '*' | Document): void {
    this.tx(() => {
      const meta = this.catalog.get(db, coll);
      if (!meta) throw namespaceNotFound(`ns not found ${db}.${coll}`);
      let targets: IndexMeta[];
      if (names === '*') targets = [...meta.indexes];
      else if (Array.isArray(names)) {
        targets = (names as unknown[]).map((name) => {
          if (typeof name !== 'string') throw badValue('index names must be strings');
          if (name === '_id_') throw invalidOptions('cannot drop _id index');
          const index = meta.indexes.find((i) => i.name === name);
          if (!index) throw indexNotFound(name);
          return index;
        });
      } else {
        const pattern = names;
        if (Object.keys(pattern).length === 1 && '_id' in pattern)
          throw invalidOptions('cannot drop _id index');
        const index = meta.indexes.find((i) => valuesEqual(i.keyPattern, pattern));
        if (!index)
          throw new MongoServerError(
            27,
            'IndexNotFound',
            `can't find index with key: ${JSON.stringify(pattern)}`,
          );
        targets = [index];
      }
      for (const index of targets) this.catalog.removeIndex(meta, index);
    });
  }

  // ------------------------------------------------------------------------------------------------------
  // figures

  private dataSize(meta: CollectionMeta): { count: number; size: number } {
    const row = this.stmts
      .get(`SELECT count(*) AS count, coalesce(sum(length(data)), 0) AS size FROM ${meta.table} `)
      .get() as {
      count: number;
      size: number;
    };
    return row;
  }

  private indexSize(meta: CollectionMeta): number {
    const row = this.stmts
      .get(
        'SELECT coalesce(sum(length(key) + 16), 0) AS size FROM index_entries WHERE index_id IN (SELECT id FROM indexes WHERE coll_id = ?)',
      )
      .get(meta.id) as { size: number };
    // The `_id_` index lives in the documents table's UNIQUE(id_key); count it as key bytes too.
    const idRow = this.stmts
      .get(`SELECT coalesce(sum(length(id_key) + 16), 0) AS size FROM ${meta.table} `)
      .get() as { size: number };
    return row.size + idRow.size;
  }

  collStats(db: string, coll: string) {
    return this.tx(() => {
      const meta = this.catalog.get(db, coll);
      if (!meta) return { count: 0, size: 0, storageSize: 0, nindexes: 0, totalIndexSize: 0, avgObjSize: 0 };
      const { count, size } = this.dataSize(meta);
      return {
        count,
        size,
        storageSize: size,
        nindexes: meta.indexes.length + 1,
        totalIndexSize: this.indexSize(meta),
        avgObjSize: count === 0 ? 0 : Math.round(size / count),
      };
    }, true);
  }

  dbStats(db: string) {
    return this.tx(() => {
      let objects = 0;
      let dataSize = 0;
      let indexes = 0;
      let indexSize = 0;
      const colls = this.catalog.list(db);
      for (const meta of colls) {
        const s = this.dataSize(meta);
        objects += s.count;
        dataSize += s.size;
        indexes += meta.indexes.length + 1;
        indexSize += this.indexSize(meta);
      }
      return { collections: colls.length, objects, dataSize, storageSize: dataSize, indexes, indexSize };
    }, true);
  }

  // ------------------------------------------------------------------------------------------------------
  // TTL

  expireTtl(now: Date = new Date()): number {
    return this.tx(() => {
      let removed = 0;
      for (const meta of this.catalog.ttlCollections()) {
        for (const index of meta.indexes) {
          if (index.expireAfterSeconds === undefined || index.fields.length !== 1) continue;
          const cutoff = now.getTime() - index.expireAfterSeconds * 1000;
          // Date keys sort by time; every entry below the cutoff is an expired date (the earliest of an array).
          const ids = this.stmts
            .get(
              'SELECT DISTINCT doc_id AS docId FROM index_entries WHERE index_id = ? AND key >= ? AND key < ?',
            )
            .all(index.id, 'J', encodeDate(cutoff)) as { docId: number }[];
          const read = this.stmts.get(`SELECT data AS raw FROM ${meta.table} WHERE doc_id = ?`);
          for (const { docId } of ids) {
            const row = read.get(docId) as { raw: Buffer } | undefined;
            if (!row) continue;
            this.deleteOne(meta, { docId, raw: row.raw, doc: deserialize(row.raw) });
            removed++;
          }
        }
      }
      return removed;
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ttlTimer) clearInterval(this.ttlTimer);
    this.checkpointer?.stop();
    this.db.close();
  }
}

export function checkNamespace(db: string, coll: string): void {
  validateDbName(db);
  validateCollName(db, coll);
}
