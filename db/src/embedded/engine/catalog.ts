/**
 * The catalog: collections and their secondary indexes as rows in SQLite, cached in memory and invalidated
 * by every DDL change made through this class.
 */
import { BSON, UUID, type Binary, type Document } from 'bson';
import { badValue } from './errors';
import type { IndexInfo } from './planner';
import { compileFilter, type CompiledFilter } from './query';
import { createDocsTable, docsTable, type Db, type StatementCache } from './storage';
import { MongoServerError } from './types';
import { toJsNumber } from './values';

export interface IndexMeta extends IndexInfo {
  /** Whether some document has more than one key in this index (then range bounds cannot be combined). */
  multikey: boolean;
  spec: Document;
  keyPattern: Document;
  partialFilter?: CompiledFilter;
  expireAfterSeconds?: number;
}

export interface CollectionMeta {
  id: number;
  db: string;
  name: string;
  table: string;
  uuid: Binary;
  options: Document;
  indexes: IndexMeta[];
}

export const ID_INDEX_SPEC = { v: 2, key: { _id: 1 }, name: '_id_' };

export function validateDbName(db: string): void {
  if (typeof db !== 'string' || db === '' || /[/\\. "$\0]/.test(db) || db.length > 63) {
    throw new MongoServerError(73, 'InvalidNamespace', `Invalid database name: '${String(db)}'`);
  }
}

export function validateCollName(db: string, coll: string): void {
  if (
    typeof coll !== 'string' ||
    coll === '' ||
    coll.includes('$') ||
    coll.includes('\0') ||
    coll.startsWith('.')
  ) {
    throw new MongoServerError(73, 'InvalidNamespace', `Invalid collection name: ${db}.${String(coll)}`);
  }
}

function indexMeta(id: number, spec: Document, multikey = false): IndexMeta {
  const keyPattern = spec.key as Document;
  const meta: IndexMeta = {
    id,
    name: spec.name as string,
    fields: Object.keys(keyPattern),
    unique: spec.unique === true,
    sparse: spec.sparse === true,
    partial: spec.partialFilterExpression !== undefined,
    multikey,
    spec,
    keyPattern,
  };
  if (spec.partialFilterExpression !== undefined) {
    meta.partialFilter = compileFilter(spec.partialFilterExpression as Document);
  }
  if (spec.expireAfterSeconds !== undefined) meta.expireAfterSeconds = toJsNumber(spec.expireAfterSeconds);
  return meta;
}

export class Catalog {
  private readonly cache = new Map<string, CollectionMeta | null>();

  constructor(
    private readonly db: Db,
    private readonly stmts: StatementCache,
  ) {}

  private static key(db: string, coll: string): string {
    return `${db}\u0000${coll}`;
  }

  get(db: string, coll: string): CollectionMeta | undefined {
    const k = Catalog.key(db, coll);
    const cached = this.cache.get(k);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.stmts
      .get('SELECT id, uuid, options FROM collections WHERE db = ? AND name = ?')
      .get(db, coll) as { id: number; uuid: Buffer; options: Buffer } | undefined;
    if (!row) {
      this.cache.set(k, null);
      return undefined;
    }
    const meta: CollectionMeta = {
      id: row.id,
      db,
      name: coll,
      table: docsTable(row.id),
      uuid: new UUID(row.uuid),
      options: BSON.deserialize(row.options, { promoteValues: false }),
      indexes: this.loadIndexes(row.id),
    };
    this.cache.set(k, meta);
    return meta;
  }

  private loadIndexes(collId: number): IndexMeta[] {
    const rows = this.stmts.get('SELECT id, spec FROM indexes WHERE coll_id = ? ORDER BY id').all(collId) as {
      id: number;
      spec: Buffer;
    }[];
    const multi = this.stmts.get(
      'SELECT 1 FROM index_entries WHERE index_id = ? GROUP BY doc_id HAVING count(*) > 1 LIMIT 1',
    );
    return rows.map((r) =>
      indexMeta(r.id, BSON.deserialize(r.spec, { promoteValues: false }), multi.get(r.id) !== undefined),
    );
  }

  /** Creates the collection; the caller checks it does not exist. */
  create(db: string, coll: string, options: Document = {}): CollectionMeta {
    validateDbName(db);
    validateCollName(db, coll);
    const uuid = new UUID();
    const info = this.stmts
      .get('INSERT INTO collections (db, name, uuid, options) VALUES (?, ?, ?, ?)')
      .run(db, coll, Buffer.from(uuid.buffer), BSON.serialize(options));
    createDocsTable(this.db, Number(info.lastInsertRowid));
    this.invalidate(db, coll);
    const meta = this.get(db, coll);
    if (!meta) throw badValue(`could not create collection ${db}.${coll}`);
    return meta;
  }

  ensure(db: string, coll: string): CollectionMeta {
    return this.get(db, coll) ?? this.create(db, coll);
  }

  drop(meta: CollectionMeta): void {
    this.stmts
      .get('DELETE FROM index_entries WHERE index_id IN (SELECT id FROM indexes WHERE coll_id = ?)')
      .run(meta.id);
    this.stmts.get('DELETE FROM indexes WHERE coll_id = ?').run(meta.id);
    this.stmts.get('DELETE FROM collections WHERE id = ?').run(meta.id);
    this.stmts.forget(`${meta.table} `);
    this.db.exec(`DROP TABLE IF EXISTS ${meta.table}`);
    this.invalidate(meta.db, meta.name);
  }

  rename(meta: CollectionMeta, toDb: string, to: string): void {
    validateDbName(toDb);
    validateCollName(toDb, to);
    this.stmts.get('UPDATE collections SET db = ?, name = ? WHERE id = ?').run(toDb, to, meta.id);
    this.invalidate(meta.db, meta.name);
    this.invalidate(toDb, to);
  }

  addIndex(meta: CollectionMeta, spec: Document): IndexMeta {
    const info = this.stmts
      .get('INSERT INTO indexes (coll_id, name, spec) VALUES (?, ?, ?)')
      .run(meta.id, spec.name as string, BSON.serialize(spec));
    const index = indexMeta(Number(info.lastInsertRowid), spec);
    meta.indexes.push(index);
    return index;
  }

  removeIndex(meta: CollectionMeta, index: IndexMeta): void {
    this.stmts.get('DELETE FROM index_entries WHERE index_id = ?').run(index.id);
    this.stmts.get('DELETE FROM indexes WHERE id = ?').run(index.id);
    meta.indexes = meta.indexes.filter((i) => i.id !== index.id);
  }

  list(db: string): CollectionMeta[] {
    const rows = this.stmts.get('SELECT name FROM collections WHERE db = ? ORDER BY name').all(db) as {
      name: string;
    }[];
    return rows.map((r) => this.get(db, r.name)).filter((m): m is CollectionMeta => m !== undefined);
  }

  databases(): string[] {
    const rows = this.stmts.get('SELECT DISTINCT db FROM collections ORDER BY db').all() as { db: string }[];
    return rows.map((r) => r.db);
  }

  /** Every collection with at least one TTL index. */
  ttlCollections(): CollectionMeta[] {
    const out: CollectionMeta[] = [];
    for (const db of this.databases()) {
      for (const meta of this.list(db))
        if (meta.indexes.some((i) => i.expireAfterSeconds !== undefined)) out.push(meta);
    }
    return out;
  }

  invalidate(db: string, coll: string): void {
    this.cache.delete(Catalog.key(db, coll));
  }

  /** Forgets everything cached (after a failed transaction rolled catalog rows back). */
  reset(): void {
    this.cache.clear();
  }
}
