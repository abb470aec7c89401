/**
 * The insert thread: the update log's `insert` commands sent by a MongoDB client in a worker thread of its own
 * (./insert-thread-worker.mjs). Each group commit's round trip (building the command, writing it to the socket,
 * waking to read the answer) cost the sync server's socket thread a few tenths of a millisecond, and that time
 * landed on whichever update arrived meanwhile: in `pnpm bench:sync` it was most of the p99 gap to a plain
 * relay (docs/benchmarks.md). With the thread, the socket thread only posts the updates and reads the refusals.
 *
 * The thread starts with the first insert, and again with the next insert after it stopped. An insert pending
 * when it stops is rejected: the group commit retries it, and a retry of a partly stored batch is safe (see
 * appendDocumentUpdates). What is acknowledged is still only what the database answered for.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { InsertCommand, InsertRefusal } from '../insert-commands.js';

const ENTRY = new URL('./insert-thread-worker.mjs', import.meta.url);
/** How long close() waits for the thread to close its client before it stops it. */
const CLOSE_TIMEOUT_MS = 5000;

interface Answer {
  id: number;
  writeErrors?: InsertRefusal[];
  error?: string;
}

interface Waiting {
  resolve(reply: { writeErrors?: InsertRefusal[] }): void;
  reject(error: Error): void;
}

/** A byte field packed into the message's one buffer: document index, field name, offset, length. */
type PackedBytes = [number, string, number, number];

/**
 * The documents as they travel to the thread. `_id` goes as its hex string (an ObjectId arrives on the other side
 * as a plain object). Byte fields (top-level Uint8Arrays, Buffers included) are copied into one buffer that is
 * transferred, not cloned: a clone copies each view's whole underlying memory, and an update's Buffer is often
 * a view into a much larger socket read.
 */
function packed(documents: object[]): { documents: object[]; bytes: ArrayBuffer; fields: PackedBytes[] } {
  let total = 0;
  for (const document of documents) {
    for (const value of Object.values(document)) if (value instanceof Uint8Array) total += value.byteLength;
  }
  const bytes = new Uint8Array(total);
  const fields: PackedBytes[] = [];
  let offset = 0;
  const out = documents.map((document, index) => {
    const copy: Record<string, unknown> = { ...document };
    for (const [key, value] of Object.entries(copy)) {
      if (value instanceof Uint8Array) {
        bytes.set(value, offset);
        fields.push([index, key, offset, value.byteLength]);
        offset += value.byteLength;
        copy[key] = null;
      } else if (key === '_id' && isObjectId(value)) {
        copy[key] = value.toHexString();
      }
    }
    return copy;
  });
  return { documents: out, bytes: bytes.buffer, fields };
}

function isObjectId(value: unknown): value is { toHexString(): string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    'toHexString' in value &&
    typeof value.toHexString === 'function'
  );
}

export class InsertThread {
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly pending = new Map<number, Waiting>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly dbName: string,
    private readonly logger: Logger,
  ) {}

  /** One ordered `insert` command through the thread (for insertOrdered). */
  readonly command: InsertCommand = (collection, documents) => {
    if (this.closed) return Promise.reject(new Error('the insert thread is closed'));
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        const message = packed(documents);
        worker.postMessage({ type: 'insert', id, collection, ...message }, [message.bytes]);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Held while an answer is due: a process with nothing else to do still waits for it.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  };

  /** Whether the thread is running (it starts with the first insert). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops taking inserts and ends the thread once its client is closed. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker === undefined) return;
    worker.ref();
    worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Test hook: stops the thread as a crash would. */
  async stopForTest(): Promise<void> {
    await this.worker?.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY, { workerData: { url: this.url, dbName: this.dbName } });
    worker.unref();
    worker.on('message', (answer: Answer) => this.answer(worker, answer));
    worker.on('error', (error) => this.logger.error({ err: error }, 'the insert thread failed'));
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        const stopped = new Error(`the insert thread stopped (exit code ${code})`);
        for (const waiting of this.pending.values()) waiting.reject(stopped);
        this.pending.clear();
        if (!this.closed)
          this.logger.warn({ code }, 'the insert thread stopped; the next insert starts it again');
        resolve();
      });
    });
    this.worker = worker;
    return worker;
  }

  private answer(worker: Worker, answer: Answer): void {
    const waiting = this.pending.get(answer.id);
    if (waiting === undefined) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) worker.unref();
    if (answer.error !== undefined) waiting.reject(new Error(answer.error));
    else waiting.resolve({ writeErrors: answer.writeErrors ?? [] });
  }
}
