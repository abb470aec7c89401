/**
 * A framework-free browser client of the channels' socket.io contract (@cope/domain channels/events):
 * typed requests with acknowledgements, typed server events, and an outbox. `send()` gives each message a
 * client id and keeps it until the server acknowledges it; on reconnect, every unacknowledged message is
 * sent again with the same client id, so the server stores it once (it answers `duplicate: true`).
 *
 *   const client = new ChannelClient(io({ transports: ['websocket'] }));
 *   client.on('message:new', (m) => ...);
 *   const page = await client.request('history:page', { channelId, firstUnread: true });
 *   await client.send({ channelId, body: 'Hello' });
 */
import type {
  ChannelError,
  ClientAck,
  ClientEventName,
  ClientPayload,
  Message,
  ServerEvents,
} from '@cope/domain';
import type { Socket } from 'socket.io-client';

/** A socket.io-client socket to the server's origin (the session cookie goes with it). */
export type ChannelTransport = Pick<Socket, 'connected' | 'emit' | 'on' | 'off'>;

export interface OutboxEntry {
  clientId: string;
  channelId: string;
  body: string;
  parentId: string | null;
  /** `failed`: the server refused it for good (kept so the person can copy or retry it). */
  state: 'sending' | 'failed';
  error?: ChannelError;
}

const ACK_TIMEOUT_MS = 10_000;
const NO_ANSWER: ChannelError = { code: 'internal', message: 'no answer from the server' };
/** Refusals worth another attempt later; any other refusal is final for that message. */
const RETRYABLE = new Set(['internal', 'rate_limited', 'unauthenticated']);

/** A random client id, as the contract's clientIdSchema wants. */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class ChannelClient {
  private readonly outbox = new Map<string, OutboxEntry>();
  private readonly outboxListeners = new Set<(entries: OutboxEntry[]) => void>();
  private readonly inFlight = new Map<string, Promise<ClientAck<'message:send'>>>();

  constructor(private readonly socket: ChannelTransport) {
    socket.on('connect', () => this.flush());
  }

  /** Emits a client event; resolves with its acknowledgement (a timeout counts as `internal`). */
  request<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<ClientAck<E>> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, error: NO_ANSWER }), ACK_TIMEOUT_MS);
      this.socket.emit(event, payload, (result: unknown) => {
        clearTimeout(timer);
        resolve(result as ClientAck<E>);
      });
    });
  }

  /** Listens to a server event; returns the function that stops listening. */
  on<E extends keyof ServerEvents>(event: E, listener: (payload: ServerEvents[E]) => void): () => void {
    const name: string = event;
    const l = listener as (...args: unknown[]) => void;
    this.socket.on(name, l);
    return () => {
      this.socket.off(name, l);
    };
  }

  /**
   * Sends a message through the outbox: resolves with the stored message once the server has it (now or
   * after a reconnect), or with the refusal when the server refuses it for good.
   */
  send(input: {
    channelId: string;
    body: string;
    parentId?: string | null;
    clientId?: string;
  }): Promise<{ ok: true; message: Message } | { ok: false; error: ChannelError }> {
    const entry: OutboxEntry = {
      clientId: input.clientId ?? newClientId(),
      channelId: input.channelId,
      body: input.body,
      parentId: input.parentId ?? null,
      state: 'sending',
    };
    this.outbox.set(entry.clientId, entry);
    this.changed();
    return this.attempt(entry);
  }

  /** Unacknowledged and refused messages, oldest first. */
  pending(): OutboxEntry[] {
    return [...this.outbox.values()];
  }

  /** Drops a failed message from the outbox (after the person copied or discarded it). */
  discard(clientId: string): void {
    if (this.outbox.delete(clientId)) this.changed();
  }

  onOutboxChange(listener: (entries: OutboxEntry[]) => void): () => void {
    this.outboxListeners.add(listener);
    return () => this.outboxListeners.delete(listener);
  }

  /** Sends every waiting message again, in the order they were written (after a reconnect). */
  flush(): void {
    for (const entry of this.outbox.values()) {
      if (entry.state === 'sending') void this.attempt(entry);
    }
  }

  private async attempt(
    entry: OutboxEntry,
  ): Promise<{ ok: true; message: Message } | { ok: false; error: ChannelError }> {
    for (;;) {
      if (!this.socket.connected) {
        // Kept in the outbox: the next `connect` sends it; this promise settles then.
        await new Promise<void>((resolve) => {
          const onConnect = () => {
            this.socket.off('connect', onConnect);
            resolve();
          };
          this.socket.on('connect', onConnect);
        });
      }
      if (!this.outbox.has(entry.clientId)) return { ok: false, error: NO_ANSWER };
      let flight = this.inFlight.get(entry.clientId);
      if (flight === undefined) {
        flight = this.request('message:send', {
          channelId: entry.channelId,
          clientId: entry.clientId,
          body: entry.body,
          parentId: entry.parentId,
        });
        this.inFlight.set(entry.clientId, flight);
        void flight.finally(() => this.inFlight.delete(entry.clientId));
      }
      const ack = await flight;
      if (ack.ok) {
        this.outbox.delete(entry.clientId);
        this.changed();
        return { ok: true, message: ack.message };
      }
      if (!RETRYABLE.has(ack.error.code)) {
        entry.state = 'failed';
        entry.error = ack.error;
        this.changed();
        return ack;
      }
      // Wait as told (rate limits), or a moment, then try again.
      await new Promise((resolve) => setTimeout(resolve, ack.error.retryAfterMs ?? 1000));
    }
  }

  private changed(): void {
    const entries = this.pending();
    for (const listener of this.outboxListeners) listener(entries);
  }
}
