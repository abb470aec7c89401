/**
 * Server-side cursors. The engine returns whole result arrays (it is synchronous), so a cursor is simply
 * the remaining documents of one result, handed out in batches by getMore. A cursor belongs to the
 * namespace it was opened on; idle cursors are removed after `cursorTimeoutMs`, as MongoDB does.
 */
import { Long, calculateObjectSize, type Document } from 'bson';
import { DEFAULT_FIRST_BATCH_SIZE, MAX_BATCH_BYTES } from './constants';
import { serverError } from './errors';

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
  noTimeout: boolean;
}

export interface CursorBatch {
  /** 0 when the result is exhausted (the cursor is then closed). */
  id: Long;
  ns: string;
  batch: Document[];
}

export class CursorRegistry {
  private readonly cursors = new Map<bigint, OpenCursor>();
  private nextId = 1n;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    // Sweep often enough that a cursor never outlives its timeout by more than a quarter of it.
    const every = Math.max(50, Math.min(60_000, Math.floor(timeoutMs / 4)));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  get size(): number {
    return this.cursors.size;
  }

  /** Opens a cursor over `docs` and returns its first batch; the cursor is kept only if documents remain. */
  open(
    ns: string,
    docs: Document[],
    batchSize: number | undefined,
    options: { singleBatch?: boolean; noTimeout?: boolean } = {},
  ): CursorBatch {
    const cursor: OpenCursor = {
      ns,
      docs,
      position: 0,
      lastUsed: Date.now(),
      noTimeout: options.noTimeout === true,
    };
    // As in MongoDB, an explicit batchSize of 0 opens the cursor and returns an empty first batch.
    const batch = takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH_SIZE);
    if (options.singleBatch === true || cursor.position >= docs.length) return { id: Long.ZERO, ns, batch };
    const id = this.nextId++;
    this.cursors.set(id, cursor);
    return { id: Long.fromBigInt(id), ns, batch };
  }

  /** The next batch of cursor `id`, which must belong to `ns`. Without batchSize the rest is returned (up to 16 MiB). */
  getMore(id: Long, ns: string, batchSize: number | undefined): CursorBatch {
    const key = id.toBigInt();
    const cursor = this.cursors.get(key);
    if (cursor === undefined) throw serverError('CursorNotFound', `cursor id ${id.toString()} not found`);
    if (cursor.ns !== ns) {
      throw serverError(
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    cursor.lastUsed = Date.now();
    const batch = takeBatch(
      cursor,
      batchSize === undefined || batchSize === 0 ? Number.POSITIVE_INFINITY : batchSize,
    );
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(key);
      return { id: Long.ZERO, ns, batch };
    }
    return { id, ns, batch };
  }

  /** Kills the listed cursors of `ns`, reporting them as MongoDB's killCursors does. */
  kill(ns: string, ids: Long[]): { killed: Long[]; notFound: Long[] } {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const key = id.toBigInt();
      const cursor = this.cursors.get(key);
      if (cursor !== undefined && cursor.ns === ns) {
        this.cursors.delete(key);
        killed.push(id);
      } else {
        notFound.push(id);
      }
    }
    return { killed, notFound };
  }

  /** Removes cursors idle for longer than the timeout; returns how many. */
  sweep(now = Date.now()): number {
    let removed = 0;
    for (const [id, cursor] of this.cursors) {
      if (!cursor.noTimeout && now - cursor.lastUsed >= this.timeoutMs) {
        this.cursors.delete(id);
        removed++;
      }
    }
    return removed;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.cursors.clear();
  }
}

/** Up to `count` documents, stopping early once the batch would pass 16 MiB (always at least one). */
function takeBatch(cursor: OpenCursor, count: number): Document[] {
  const batch: Document[] = [];
  let bytes = 0;
  while (batch.length < count && cursor.position < cursor.docs.length) {
    const doc = cursor.docs[cursor.position]!;
    // The document plus its array entry in the reply (type byte, index key, terminator).
    const size = calculateObjectSize(doc) + String(batch.length).length + 2;
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    batch.push(doc);
    bytes += size;
    cursor.position++;
  }
  // Let the documents handed out be garbage-collected while the cursor lives on.
  if (cursor.position > 0 && cursor.position >= 1024 && cursor.position * 2 >= cursor.docs.length) {
    cursor.docs = cursor.docs.slice(cursor.position);
    cursor.position = 0;
  }
  return batch;
}
