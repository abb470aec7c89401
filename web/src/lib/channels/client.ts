/**
 * The one client of the channels' socket.io contract (@cope/domain channels/events), framework-free: typed
 * requests with an acknowledgement timeout, typed server events, and the outbox.
 *
 * The outbox keeps each message written here until the server acknowledges it, and sends the waiting
 * messages one at a time, oldest first: a message goes out only once the one before it is stored, so a
 * retried, rate-limited or reconnected send (a new socket, with its own queue on the server) can never land
 * after one written later, and everyone's order is the writer's. Every attempt uses the message's client
 * id, so a message whose acknowledgement was lost is stored once (the server answers `duplicate: true`). Rate-limit refusals wait `retryAfterMs`; refusals that cannot succeed by waiting stay
 * in the outbox as `failed` until `retry` or `discard`. Persistence is the caller's, through `storage`.
 *
 *   const client = new ChannelClient(io({ transports: ['websocket'] }), { storage });
 *   client.on('message:new', (m) => ...);
 *   const page = await client.request('history:page', { channelId, firstUnread: true });
 *   const sent = await client.send({ channelId, body: 'Hello' });
 */
import {
  channelErrorSchema,
  clientIdSchema,
  messageBodySchema,
  objectIdSchema,
  type ChannelError,
  type ClientAck,
  type ClientEventName,
  type ClientPayload,
  type Message,
  type ServerEvents,
} from '@cope/domain';
import type { Socket } from 'socket.io-client';
import { z } from 'zod';

/** A socket.io-client socket to the server's origin (the session cookie goes with it). */
export type ChannelTransport = Pick<Socket, 'connected' | 'emit' | 'on' | 'off'>;

/** A message written here and not yet stored by the server. */
export interface OutboxEntry {
  clientId: string;
  channelId: string;
  parentId: string | null;
  body: string;
  /** When it was written (ISO 8601). */
  createdAt: string;
  /**
   * `sending` until acknowledged (with `error` set while it waits out a rate limit); `failed` when the
   * server refused it for good: it stays, to be copied, retried or discarded.
   */
  state: 'sending' | 'failed';
  error?: ChannelError;
}

/** Where the outbox survives the client (a page reload): `load` once at construction, `save` on every change. */
export interface OutboxStorage {
  /** What `save` last got, or anything else: entries that do not parse are dropped. */
  load(): unknown;
  save(entries: readonly OutboxEntry[]): void;
}

export type SendResult = { ok: true; message: Message } | { ok: false; error: ChannelError };

export interface ChannelClientOptions {
  storage?: OutboxStorage;
  /** How long an acknowledgement (or the connection a request waits for) may take. */
  ackTimeoutMs?: number;
  /** The first wait before sending again after a lost acknowledgement or an `internal` refusal (doubles). */
  retryDelayMs?: number;
}

const ACK_TIMEOUT_MS = 10_000;
const RETRY_DELAY_MS = 1000;
const MAX_RETRY_DELAY_MS = 30_000;

// Local outcomes, told apart by identity: none of them is an answer from the server.
const NO_ANSWER: ChannelError = { code: 'internal', message: 'no answer from the server' };
const NO_CONNECTION: ChannelError = { code: 'internal', message: 'not connected' };
const LOST: ChannelError = { code: 'internal', message: 'the connection was lost before the answer' };
const DISCARDED: ChannelError = { code: 'not_found', message: 'discarded from the outbox' };

const outboxEntrySchema = z.object({
  clientId: clientIdSchema,
  channelId: objectIdSchema,
  parentId: objectIdSchema.nullable(),
  body: messageBodySchema,
  createdAt: z.string(),
  state: z.enum(['sending', 'failed']),
  error: channelErrorSchema.optional(),
});

/** A random client id, as the contract's clientIdSchema wants. */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ChannelClient {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly waiters = new Map<string, ((result: SendResult) => void)[]>();
  private readonly outboxListeners = new Set<(entries: OutboxEntry[]) => void>();
  private readonly storedListeners = new Set<(message: Message) => void>();
  /** Requests waiting for an acknowledgement: a disconnect settles them at once as lost. */
  private readonly unanswered = new Set<() => void>();
  private readonly storage: OutboxStorage | undefined;
  private readonly ackTimeoutMs: number;
  private readonly retryDelayMs: number;
  private flushing = false;
  private flushAgain = false;
  /** Set while the outbox waits (a rate limit, or a pause after a lost answer) before its next send. */
  private pause: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private closed = false;

  private readonly onConnect = () => {
    // A fresh connection: whatever the outbox was waiting for, try now.
    clearTimeout(this.pause);
    this.pause = undefined;
    void this.flush();
  };
  private readonly onDisconnect = () => {
    // Their acknowledgements cannot come any more (socket.io drops them with the connection).
    for (const lost of [...this.unanswered]) lost();
  };

  constructor(
    private readonly transport: ChannelTransport,
    options: ChannelClientOptions = {},
  ) {
    this.storage = options.storage;
    this.ackTimeoutMs = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
    this.retryDelayMs = options.retryDelayMs ?? RETRY_DELAY_MS;
    this.restore();
    transport.on('connect', this.onConnect);
    transport.on('disconnect', this.onDisconnect);
    if (transport.connected) void this.flush();
  }

  /**
   * Emits a client event and resolves with its acknowledgement. While disconnected it first waits for the
   * connection (within the timeout), so nothing sits in socket.io's send buffer to go out later unasked.
   * No answer in time, or a connection lost meanwhile, resolves as `internal`.
   */
  async request<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<ClientAck<E>> {
    if (!this.transport.connected && !(await this.whenConnected())) {
      return { ok: false, error: NO_CONNECTION };
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (ack: ClientAck<E>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.unanswered.delete(lost);
        resolve(ack);
      };
      const lost = () => settle({ ok: false, error: LOST });
      const timer = setTimeout(() => settle({ ok: false, error: NO_ANSWER }), this.ackTimeoutMs);
      this.unanswered.add(lost);
      this.transport.emit(event, payload, (result: unknown) => settle(result as ClientAck<E>));
    });
  }

  /** Listens to a server event; returns the function that stops listening. */
  on<E extends keyof ServerEvents>(event: E, listener: (payload: ServerEvents[E]) => void): () => void {
    const name: string = event;
    const l = listener as (...args: unknown[]) => void;
    this.transport.on(name, l);
    return () => {
      this.transport.off(name, l);
    };
  }

  /**
   * Puts a message in the outbox and sends it when its turn comes. Resolves with the stored message (now
   * or after reconnects), or with the refusal once the server refuses it for good (it then stays `failed`).
   */
  send(input: {
    channelId: string;
    body: string;
    parentId?: string | null;
    clientId?: string;
  }): Promise<SendResult> {
    const clientId = input.clientId ?? newClientId();
    const done = this.waitFor(clientId);
    if (!this.entries.has(clientId)) {
      this.entries.set(clientId, {
        clientId,
        channelId: input.channelId,
        parentId: input.parentId ?? null,
        body: input.body,
        createdAt: new Date().toISOString(),
        state: 'sending',
      });
      this.changed();
    }
    void this.flush();
    return done;
  }

  /** Sends a `failed` message again, in its place in the outbox; null when the outbox has no such message. */
  retry(clientId: string): Promise<SendResult> | null {
    const entry = this.entries.get(clientId);
    if (entry === undefined) return null;
    const done = this.waitFor(clientId);
    if (entry.state === 'failed') {
      this.entries.set(clientId, { ...entry, state: 'sending', error: undefined });
      this.changed();
    }
    void this.flush();
    return done;
  }

  /** Drops a message from the outbox (the person copied or abandoned it); its `send` resolves as refused. */
  discard(clientId: string): void {
    if (!this.entries.delete(clientId)) return;
    this.changed();
    this.settle(clientId, { ok: false, error: DISCARDED });
  }

  /** The outbox, oldest first: messages still sending, and those refused for good. */
  pending(): OutboxEntry[] {
    return [...this.entries.values()];
  }

  onOutboxChange(listener: (entries: OutboxEntry[]) => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  /** Each message the server stored for a send of this client (a retry the server had stored included). */
  onStored(listener: (message: Message) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /** Stops listening to the transport and sending; the outbox stays in `storage` for the next client. */
  close(): void {
    this.closed = true;
    clearTimeout(this.pause);
    this.pause = undefined;
    this.transport.off('connect', this.onConnect);
    this.transport.off('disconnect', this.onDisconnect);
  }

  /** Sends the outbox's `sending` messages one at a time, oldest first, until it is empty or must wait. */
  private async flush(): Promise<void> {
    if (this.flushing) {
      this.flushAgain = true;
      return;
    }
    this.flushing = true;
    try {
      for (;;) {
        if (this.closed || this.pause !== undefined || !this.transport.connected) return;
        const entry = [...this.entries.values()].find((e) => e.state === 'sending');
        if (entry === undefined) return;
        const ack = await this.request('message:send', {
          channelId: entry.channelId,
          clientId: entry.clientId,
          body: entry.body,
          parentId: entry.parentId,
        });
        if (!this.handle(entry.clientId, ack)) return;
      }
    } finally {
      this.flushing = false;
      if (this.flushAgain) {
        this.flushAgain = false;
        void this.flush();
      }
    }
  }

  /** Applies one send's acknowledgement; false when the outbox must wait before its next send. */
  private handle(clientId: string, ack: ClientAck<'message:send'>): boolean {
    const entry = this.entries.get(clientId);
    if (ack.ok) {
      this.failures = 0;
      if (entry !== undefined) {
        this.entries.delete(clientId);
        this.changed();
      }
      for (const listener of this.storedListeners) listener(ack.message);
      this.settle(clientId, { ok: true, message: ack.message });
      return true;
    }
    if (entry === undefined) return true; // discarded while in flight
    const { error } = ack;
    if (error === LOST || error === NO_CONNECTION) return false; // the next `connect` sends it again
    if (error.code === 'unauthenticated') return false; // only a new session (a new connection) helps
    if (error.code === 'rate_limited') {
      this.entries.set(clientId, { ...entry, error });
      this.changed();
      this.wait(error.retryAfterMs ?? this.retryDelayMs);
      return false;
    }
    if (error === NO_ANSWER || error.code === 'internal') {
      this.failures += 1;
      this.wait(Math.min(this.retryDelayMs * 2 ** (this.failures - 1), MAX_RETRY_DELAY_MS));
      return false;
    }
    this.entries.set(clientId, { ...entry, state: 'failed', error });
    this.changed();
    this.settle(clientId, { ok: false, error });
    return true;
  }

  private wait(ms: number): void {
    clearTimeout(this.pause);
    this.pause = setTimeout(() => {
      this.pause = undefined;
      void this.flush();
    }, ms);
  }

  /** Resolves on the next `connect`, or false after the timeout. */
  private whenConnected(): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.transport.off('connect', onConnect);
        resolve(value);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(false), this.ackTimeoutMs);
      this.transport.on('connect', onConnect);
    });
  }

  private waitFor(clientId: string): Promise<SendResult> {
    return new Promise((resolve) => {
      const list = this.waiters.get(clientId) ?? [];
      list.push(resolve);
      this.waiters.set(clientId, list);
    });
  }

  private settle(clientId: string, result: SendResult): void {
    const list = this.waiters.get(clientId);
    this.waiters.delete(clientId);
    for (const resolve of list ?? []) resolve(result);
  }

  private changed(): void {
    const entries = this.pending();
    try {
      this.storage?.save(entries);
    } catch {
      // Storage full or refused: the outbox still lives in memory.
    }
    for (const listener of this.outboxListeners) listener(entries);
  }

  private restore(): void {
    let stored: unknown;
    try {
      stored = this.storage?.load();
    } catch {
      return;
    }
    if (!Array.isArray(stored)) return;
    for (const item of stored) {
      const parsed = outboxEntrySchema.safeParse(item);
      if (parsed.success) this.entries.set(parsed.data.clientId, parsed.data);
    }
  }
}
