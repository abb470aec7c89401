/**
 * The SQLite file: schema, format version, and cached prepared statements.
 *
 * Layout (format version 2):
 *   meta(key, value)                         -- 'formatVersion'
 *   collections(id, db, name, uuid, options) -- options as BSON
 *   indexes(id, coll_id, name, spec)         -- secondary indexes; spec as BSON ({key, name, unique, ...})
 *   index_entries(index_id, key, doc_id)     -- one row per distinct key of a document (WITHOUT ROWID)
 *   docs_<collection id>(doc_id, id_key, data) -- raw BSON; id_key is the canonical `_id` (the `_id_` index)
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * On-disk format version. 1: equality-only key encoding; 2: order-preserving key encoding (index keys and
 * `_id` keys are rebuilt when a version 1 folder is opened).
 */
export const FORMAT_VERSION = 2;
export const DATABASE_FILE = 'embedded.sqlite3';

export type Db = Database.Database;
export type Statement = Database.Statement;

export interface OpenedDatabase {
  db: Db;
  /** The format version the folder had when opened (FORMAT_VERSION for a new folder). */
  foundVersion: number;
}

export function openDatabase(dataDir: string): OpenedDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = OFF');
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS collections (
        id INTEGER PRIMARY KEY,
        db TEXT NOT NULL,
        name TEXT NOT NULL,
        uuid BLOB NOT NULL,
        options BLOB NOT NULL,
        UNIQUE (db, name)
      );
      CREATE TABLE IF NOT EXISTS indexes (
        id INTEGER PRIMARY KEY,
        coll_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        spec BLOB NOT NULL,
        UNIQUE (coll_id, name)
      );
      CREATE TABLE IF NOT EXISTS index_entries (
        index_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        doc_id INTEGER NOT NULL,
        PRIMARY KEY (index_id, key, doc_id)
      ) WITHOUT ROWID;
    `);
    const row = db.prepare(`SELECT value FROM meta WHERE key = 'formatVersion'`).get() as
      { value: string } | undefined;
    let foundVersion = FORMAT_VERSION;
    if (row === undefined) {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('formatVersion', ?)`).run(String(FORMAT_VERSION));
    } else {
      foundVersion = Number(row.value);
      const version = Number(row.value);
      if (!Number.isInteger(version) || version > FORMAT_VERSION) {
        throw new Error(
          `The data folder ${dataDir} holds on-disk format version ${row.value}, newer than this server's version ${FORMAT_VERSION}; upgrade @cope/db to open it.`,
        );
      }
    }
    return { db, foundVersion };
  } catch (err) {
    db.close();
    throw err;
  }
}

export function setFormatVersion(db: Db, version: number): void {
  db.prepare(`UPDATE meta SET value = ? WHERE key = 'formatVersion'`).run(String(version));
}

export function docsTable(collId: number): string {
  return `docs_${collId}`;
}

export function createDocsTable(db: Db, collId: number): void {
  db.exec(
    `CREATE TABLE IF NOT EXISTS ${docsTable(collId)} (doc_id INTEGER PRIMARY KEY, id_key TEXT NOT NULL UNIQUE, data BLOB NOT NULL)`,
  );
}

/** Caches prepared statements by SQL text (statements of dropped tables are evicted with `forget`). */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();
  constructor(private readonly db: Db) {}

  get(sql: string): Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  forget(fragment: string): void {
    for (const sql of [...this.cache.keys()]) if (sql.includes(fragment)) this.cache.delete(sql);
  }
}
