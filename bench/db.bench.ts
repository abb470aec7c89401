/**
 * `pnpm bench:db`: speed of the embedded MongoDB-compatible server, measured through the official driver
 * over a real socket, printed beside the same operations done directly on bare better-sqlite3 (one table
 * holding the same rows as BSON, WAL, synchronous=FULL) in the same run, at 1k and at 100k documents.
 *
 * Not a test: it asserts nothing. The figures go into docs/benchmarks.md.
 */
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { BSON, ObjectId } from 'bson';
import { MongoClient, type Collection } from 'mongodb';
import { startEmbeddedServer } from '@cope/db/embedded';

const SIZES = [1_000, 100_000] as const;
const FILL_BATCH = 1_000;
const SINGLE_INSERTS = 300;
const LOOKUPS = 2_000;
const WARMUP_LOOKUPS = 300;
const REPEATS = 3;
const SORTED_LIMIT = 10_000;

interface BenchDoc {
  _id: ObjectId;
  email: string;
  n: number;
  name: string;
  tags: string[];
  createdAt: Date;
}

function makeDoc(i: number): BenchDoc {
  return {
    _id: new ObjectId(),
    email: `user${i}@example.org`,
    n: randomInt(1_000_000_000),
    name: `Member number ${i}`,
    tags: ['network', i % 2 === 0 ? 'even' : 'odd'],
    createdAt: new Date(),
  };
}

/** The two sides measured with the same operations. */
interface Side {
  insertMany(docs: BenchDoc[]): Promise<void>;
  insertOne(doc: BenchDoc): Promise<void>;
  findById(id: ObjectId): Promise<unknown>;
  findByEmail(email: string): Promise<unknown>;
  sortedQuery(limit: number): Promise<number>;
  /** Removes documents by _id (untimed), so that each measurement sees the collection at its nominal size. */
  remove(ids: ObjectId[]): Promise<void>;
}

function embeddedSide(coll: Collection<BenchDoc>): Side {
  return {
    async insertMany(docs) {
      await coll.insertMany(docs);
    },
    async insertOne(doc) {
      await coll.insertOne(doc);
    },
    findById: (id) => coll.findOne({ _id: id }),
    findByEmail: (email) => coll.findOne({ email }),
    async sortedQuery(limit) {
      return (await coll.find({}).sort({ n: 1 }).limit(limit).toArray()).length;
    },
    async remove(ids) {
      await coll.deleteMany({ _id: { $in: ids } });
    },
  };
}

function sqliteSide(file: string): { side: Side; close(): void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE docs (
    id BLOB PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    n INTEGER NOT NULL,
    body BLOB NOT NULL
  );
  CREATE INDEX docs_n ON docs (n);`);
  const insert = db.prepare('INSERT INTO docs (id, email, n, body) VALUES (?, ?, ?, ?)');
  const insertAll = db.transaction((docs: BenchDoc[]) => {
    for (const doc of docs) insert.run(doc._id.id, doc.email, doc.n, BSON.serialize(doc));
  });
  const byId = db.prepare<[Uint8Array], { body: Buffer }>('SELECT body FROM docs WHERE id = ?');
  const byEmail = db.prepare<[string], { body: Buffer }>('SELECT body FROM docs WHERE email = ?');
  const sorted = db.prepare<[number], { body: Buffer }>('SELECT body FROM docs ORDER BY n LIMIT ?');
  const removeOne = db.prepare<[Uint8Array]>('DELETE FROM docs WHERE id = ?');
  const removeAll = db.transaction((ids: ObjectId[]) => {
    for (const id of ids) removeOne.run(id.id);
  });
  const decode = (row: { body: Buffer } | undefined): unknown =>
    row === undefined ? null : BSON.deserialize(row.body);
  const side: Side = {
    insertMany(docs) {
      insertAll(docs);
      return Promise.resolve();
    },
    insertOne(doc) {
      insert.run(doc._id.id, doc.email, doc.n, BSON.serialize(doc));
      return Promise.resolve();
    },
    findById: (id) => Promise.resolve(decode(byId.get(id.id))),
    findByEmail: (email) => Promise.resolve(decode(byEmail.get(email))),
    sortedQuery(limit) {
      return Promise.resolve(sorted.all(limit).map((row) => BSON.deserialize(row.body)).length);
    },
    remove(ids) {
      removeAll(ids);
      return Promise.resolve();
    },
  };
  return { side, close: () => db.close() };
}

/** Runs `count` operations one after the other; returns operations per second. */
async function rate(count: number, op: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await op(i);
  return count / ((performance.now() - start) / 1000);
}

interface Row {
  operation: string;
  size: number;
  embedded: number;
  sqlite: number;
  unit: string;
  higherIsBetter: boolean;
}

type Results = Map<string, { value: number; unit: string; higherIsBetter: boolean }>;

/** Fills a side up to `size` in batches; returns the batched insert rate in docs/s. */
async function fill(side: Side, docs: BenchDoc[], size: number, filled: number): Promise<number> {
  const start = performance.now();
  for (let i = filled; i < size; i += FILL_BATCH)
    await side.insertMany(docs.slice(i, Math.min(size, i + FILL_BATCH)));
  return (size - filled) / ((performance.now() - start) / 1000);
}

/** One repetition of the lookups, the sorted query and the single inserts on one side. */
async function measureOnce(
  name: 'embedded' | 'sqlite',
  side: Side,
  docs: BenchDoc[],
  size: number,
  nextIndex: { value: number },
): Promise<Results> {
  const results: Results = new Map();
  const pick = (): BenchDoc => docs[randomInt(size)] as BenchDoc;
  // Warm-up, so that neither side is measured while the JIT compiles its code paths.
  await rate(WARMUP_LOOKUPS, () => side.findById(pick()._id));
  results.set('find one by _id', {
    value: await rate(LOOKUPS, () => side.findById(pick()._id)),
    unit: 'ops/s',
    higherIsBetter: true,
  });
  results.set('find one by unique email', {
    value: await rate(LOOKUPS, () => side.findByEmail(pick().email)),
    unit: 'ops/s',
    higherIsBetter: true,
  });
  const rounds = 5;
  let returned = 0;
  const sortStart = performance.now();
  for (let i = 0; i < rounds; i++) returned = await side.sortedQuery(SORTED_LIMIT);
  results.set(`sorted query (index on n), ${Math.min(SORTED_LIMIT, size)} docs returned`, {
    value: (performance.now() - sortStart) / rounds,
    unit: 'ms/query',
    higherIsBetter: false,
  });
  if (returned !== Math.min(SORTED_LIMIT, size))
    throw new Error(`${name}: sorted query returned ${returned} documents`);

  // Single acknowledged inserts, each its own durable commit; these use documents beyond the largest size.
  const extra = Array.from({ length: SINGLE_INSERTS }, () => makeDoc(nextIndex.value++));
  results.set('insertOne, each acknowledged', {
    value: await rate(SINGLE_INSERTS, (i) => side.insertOne(extra[i] as BenchDoc)),
    unit: 'docs/s',
    higherIsBetter: true,
  });
  await side.remove(extra.map((doc) => doc._id));
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

async function main(): Promise<void> {
  process.env.LOG_LEVEL ??= 'warn';
  const started = performance.now();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cope-bench-'));
  const largest = SIZES[SIZES.length - 1] ?? 0;
  const docs = Array.from({ length: largest }, (_, i) => makeDoc(i));
  // Each side gets copies: the driver adds nothing to documents that already carry an _id, but stay safe.
  const embeddedDir = path.join(dir, 'embedded');
  let server = await startEmbeddedServer({ dataDir: embeddedDir, port: 0 });
  let client = await MongoClient.connect(server.url);
  const sqlite = sqliteSide(path.join(dir, 'bare.sqlite'));
  try {
    const coll = client.db('bench').collection<BenchDoc>('docs');
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.createIndex({ n: 1 });
    const embedded = embeddedSide(coll);

    const rows: Row[] = [];
    let filled = 0;
    const nextEmbedded = { value: largest };
    const nextSqlite = { value: largest };
    for (const size of SIZES) {
      const fillName = `insertMany, ${FILL_BATCH} per batch`;
      rows.push({
        operation: fillName,
        size,
        embedded: await fill(embedded, docs, size, filled),
        sqlite: await fill(sqlite.side, docs, size, filled),
        unit: 'docs/s',
        higherIsBetter: true,
      });
      filled = size;
      // The sides take turns, so that a burst of load from elsewhere on the machine hits both; median of REPEATS.
      const embeddedRuns: Results[] = [];
      const sqliteRuns: Results[] = [];
      for (let r = 0; r < REPEATS; r++) {
        embeddedRuns.push(await measureOnce('embedded', embedded, docs, size, nextEmbedded));
        sqliteRuns.push(await measureOnce('sqlite', sqlite.side, docs, size, nextSqlite));
      }
      for (const [operation, first] of embeddedRuns[0] ?? (new Map() as Results)) {
        rows.push({
          operation,
          size,
          embedded: median(embeddedRuns.map((run) => run.get(operation)?.value ?? Number.NaN)),
          sqlite: median(sqliteRuns.map((run) => run.get(operation)?.value ?? Number.NaN)),
          unit: first.unit,
          higherIsBetter: first.higherIsBetter,
        });
      }
    }

    console.log(
      `\nEmbedded server (driver over loopback TCP, in this process) vs bare better-sqlite3 (WAL, synchronous=FULL)`,
    );
    console.log(
      `Node ${process.version}, ${os.cpus().length} CPU(s) (${os.cpus()[0]?.model ?? 'unknown'}), ${os.platform()}\n`,
    );
    console.log(
      '| operation | docs in collection | embedded server | bare SQLite | unit | embedded / SQLite |',
    );
    console.log('|---|---:|---:|---:|---|---:|');
    for (const row of rows) {
      const ratio = row.embedded / row.sqlite;
      console.log(
        `| ${row.operation} | ${row.size.toLocaleString('en-US')} | ${format(row.embedded)} | ${format(row.sqlite)} | ${row.unit} | ${ratio.toFixed(2)}× |`,
      );
    }
    // Restart on the same folder: time from a closed server to the first answered query.
    await client.close();
    await server.close();
    const restartStart = performance.now();
    server = await startEmbeddedServer({ dataDir: embeddedDir, port: 0 });
    client = await MongoClient.connect(server.url);
    const probe = docs[0];
    const found = await client
      .db('bench')
      .collection<BenchDoc>('docs')
      .findOne({ _id: probe?._id ?? new ObjectId() });
    const restartMs = performance.now() - restartStart;
    if (found === null) throw new Error('the first document is missing after the restart');
    console.log(
      `\nRestart with ${largest.toLocaleString('en-US')} documents, to the first answered query: ${restartMs.toFixed(0)} ms`,
    );
    console.log(`\nTotal run: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    sqlite.close();
    await client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
