/**
 * Group commit of one document's incoming updates: everything that arrives within a short window after the
 * first one (or while the previous write is in flight) is written with one `insert` command, numbered from
 * the room's last sequence number (sent by the process's insert thread when it has one). After each write it
 * reports which entries are stored, so the room can acknowledge them to their senders.
 *
 * Entries stay in arrival order. An entry without an update (an empty one, or a refused one) stores
 * nothing but still waits for the entries before it, so an acknowledgement never overtakes a write.
 * The window matters because every write is a round trip to the database: fewer, larger writes mean fewer
 * moments when the process's threads compete with the forwarding of updates, which keeps broadcast latency
 * close to a relay's.
 * A failed write is retried, with back-off, until it succeeds or the room is dropped; nothing is acknowledged
 * before it is stored.
 */
import { appendDocumentUpdates, type InsertCommand } from '@cope/db';
import type { Connection } from 'mongoose';

export interface CommitEntry<Sender> {
  /** The connection to acknowledge (null for changes the server itself made, such as a restore). */
  sender: Sender | null;
  /** The sender's running count for this frame (see MESSAGE_STORED). */
  index: number;
  update: Uint8Array | null;
  userId: string | null;
}

export interface Committed<Sender> {
  entries: CommitEntry<Sender>[];
  /** The sequence number of the last stored update (unchanged when the batch stored nothing). */
  lastSeq: number;
  storedBytes: number;
  at: Date;
}

const RETRY_MS = [50, 200, 1000, 5000];

export class GroupCommit<Sender> {
  private queue: CommitEntry<Sender>[] = [];
  private running = false;
  private scheduled = false;
  private stopped = false;
  private failures = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly conn: Connection,
    private readonly documentId: string,
    private readonly onCommitted: (committed: Committed<Sender>) => void,
    private readonly onError: (error: unknown, attempt: number) => void,
    /** The last sequence number stored (the room's), so an append needs no read first. */
    private readonly lastSeq: () => number,
    /** How long the first update of a batch waits for others to join it (bounded: storage within 100 ms). */
    private readonly windowMs = 0,
    /** How the inserts are sent (the process's insert thread); default: the connection's own client. */
    private readonly via?: InsertCommand,
  ) {}

  add(entry: CommitEntry<Sender>): void {
    if (this.stopped) return;
    this.queue.push(entry);
    this.schedule(this.windowMs);
  }

  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Resolves once everything queued so far is stored (or the queue was stopped). */
  flushed(): Promise<void> {
    if (!this.running && !this.scheduled && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops writing (the room is being dropped); waiters are released. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.releaseWaiters();
  }

  private schedule(delayMs: number): void {
    if (this.running || this.scheduled || this.stopped) return;
    this.scheduled = true;
    // setImmediate runs after the frames read in this turn were handled: they all join one batch.
    const run = () => {
      this.scheduled = false;
      void this.commit();
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs).unref();
  }

  private async commit(): Promise<void> {
    if (this.stopped || this.queue.length === 0) {
      this.releaseWaiters();
      return;
    }
    this.running = true;
    const batch = this.queue;
    this.queue = [];
    const at = new Date();
    const updates: { update: Uint8Array; userId: string | null }[] = [];
    let storedBytes = 0;
    for (const entry of batch) {
      if (entry.update) {
        updates.push({ update: entry.update, userId: entry.userId });
        storedBytes += entry.update.length;
      }
    }
    try {
      const { lastSeq } = await appendDocumentUpdates(this.conn, this.documentId, updates, {
        at,
        afterSeq: this.lastSeq(),
        ...(this.via ? { via: this.via } : {}),
      });
      this.failures = 0;
      this.running = false;
      if (!this.stopped) this.onCommitted({ entries: batch, lastSeq, storedBytes, at });
    } catch (error) {
      this.running = false;
      if (this.stopped) {
        this.releaseWaiters();
        return;
      }
      // Put the batch back in front, in order, and try again later.
      this.queue = batch.concat(this.queue);
      this.onError(error, ++this.failures);
      this.schedule(RETRY_MS[Math.min(this.failures, RETRY_MS.length) - 1] ?? 5000);
      return;
    }
    if (this.queue.length > 0) this.schedule(0);
    else this.releaseWaiters();
  }

  private releaseWaiters(): void {
    if (this.running || this.scheduled) return;
    if (this.queue.length > 0 && !this.stopped) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
