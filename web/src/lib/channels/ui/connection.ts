/**
 * The browser's one socket.io connection for the channel pages, typed by the shared event contract
 * (@cope/domain channels/events), with an outbox: a message is kept until the server acknowledges it, so a
 * send made offline or cut by a reconnect is sent again (with the same client id: the server stores it once).
 *
 * Framework-free on purpose: the Svelte state (conversation.svelte.ts) listens to it.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ChannelError,
  ClientAck,
  ClientEventName,
  ClientPayload,
  ClientToServerEvents,
  Message,
  ServerEvents,
  ServerToClientEvents,
} from '@cope/domain';

export type ChannelSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A message written here and not yet acknowledged by the server. */
export interface PendingMessage {
  clientId: string;
  channelId: string;
  parentId: string | null;
  body: string;
  createdAt: string;
  /** `sending` until acknowledged; `failed` when the server refused it for good (it stays to be copied). */
  state: 'sending' | 'failed';
  error?: ChannelError;
}

export type ConnectionState = 'connecting' | 'online' | 'offline';

/** How long an acknowledgement may take before the event counts as lost (it is retried on reconnect). */
const ACK_TIMEOUT_MS = 10_000;

const TIMEOUT: ChannelError = { code: 'internal', message: 'no answer from the server' };
const OFFLINE: ChannelError = { code: 'internal', message: 'offline' };

/** A random client id (letters, digits, - and _), as the contract's clientIdSchema wants. */
export function newClientId(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

type Listener<T> = (value: T) => void;

export class ChannelConnection {
  readonly socket: ChannelSocket;
  state: ConnectionState = 'connecting';
  private readonly pending = new Map<string, PendingMessage>();
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly outboxListeners = new Set<Listener<PendingMessage[]>>();
  private readonly storedListeners = new Set<Listener<Message>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly storageKey: string;
  private flushing = false;
  private connectedOnce = false;
  private readonly onOffline = () => {
    // The browser knows before the heartbeat does: stop now, so sends queue instead of vanishing.
    this.socket.disconnect();
    this.setState('offline');
  };
  private readonly onOnline = () => {
    this.setState('connecting');
    this.socket.connect();
  };

  constructor(readonly userId: string) {
    this.storageKey = `cope.channels.outbox.${userId}`;
    this.restore();
    this.socket = io({ path: '/socket.io/', transports: ['websocket'], withCredentials: true });
    this.socket.on('connect', () => {
      const again = this.connectedOnce;
      this.connectedOnce = true;
      this.setState('online');
      if (again) for (const listener of this.reconnectListeners) listener();
      void this.flush();
    });
    this.socket.on('disconnect', () => this.setState(navigator.onLine ? 'connecting' : 'offline'));
    this.socket.on('connect_error', () => this.setState(navigator.onLine ? 'connecting' : 'offline'));
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
  }

  /** Emits a client event and resolves with its acknowledgement (an error when offline or unanswered). */
  async request<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<ClientAck<E>> {
    if (!this.socket.connected && !(await this.connected())) return { ok: false, error: OFFLINE };
    return new Promise((resolve) => {
      // socket.io's typed emit cannot follow a generic event name: one cast at this boundary.
      const timed = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emit(event: string, payload: unknown, ack: (err: Error | null, result: ClientAck<E>) => void): void;
      };
      timed.emit(event, payload, (err, result) => resolve(err ? { ok: false, error: TIMEOUT } : result));
    });
  }

  /** Waits for the connection (a page's first requests are made while it opens); false when offline. */
  private connected(): Promise<boolean> {
    if (this.state === 'offline') return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.socket.off('connect', onConnect);
        resolve(value);
      };
      const onConnect = () => done(true);
      const timer = setTimeout(() => done(false), ACK_TIMEOUT_MS);
      this.socket.on('connect', onConnect);
    });
  }

  on<E extends keyof ServerEvents>(event: E, listener: (payload: ServerEvents[E]) => void): () => void {
    const socket = this.socket as unknown as {
      on(e: string, l: (p: ServerEvents[E]) => void): void;
      off(e: string, l: (p: ServerEvents[E]) => void): void;
    };
    socket.on(event, listener);
    return () => socket.off(event, listener);
  }

  onState(listener: Listener<ConnectionState>): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  /** Called after every reconnection: joined channels are joined again, missed messages fetched. */
  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => this.reconnectListeners.delete(listener);
  }

  onOutbox(listener: Listener<PendingMessage[]>): () => void {
    this.outboxListeners.add(listener);
    listener(this.outbox());
    return () => this.outboxListeners.delete(listener);
  }

  /** Each message the server stored for a send of this tab (also for a retry it had stored before). */
  onStored(listener: Listener<Message>): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  outbox(): PendingMessage[] {
    return [...this.pending.values()];
  }

  /** Queues a message and sends it when possible; it shows as "sending" until the server stores it. */
  send(channelId: string, body: string, parentId: string | null = null): PendingMessage {
    const message: PendingMessage = {
      clientId: newClientId(),
      channelId,
      parentId,
      body,
      createdAt: new Date().toISOString(),
      state: 'sending',
    };
    this.pending.set(message.clientId, message);
    this.changed();
    void this.flush();
    return message;
  }

  /** Forgets a message the server refused (the person copied or abandoned it). */
  discard(clientId: string): void {
    if (this.pending.delete(clientId)) this.changed();
  }

  /** Tries a refused message again. */
  retry(clientId: string): void {
    const message = this.pending.get(clientId);
    if (!message) return;
    this.pending.set(clientId, { ...message, state: 'sending', error: undefined });
    this.changed();
    void this.flush();
  }

  /** Sends the outbox in order, one at a time (the server's order then matches the writer's). */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const message of this.outbox()) {
        if (message.state !== 'sending') continue;
        if (!this.socket.connected) return;
        const ack = await this.request('message:send', {
          channelId: message.channelId,
          clientId: message.clientId,
          body: message.body,
          parentId: message.parentId,
        });
        if (ack.ok) {
          this.pending.delete(message.clientId);
          this.changed();
          for (const listener of this.storedListeners) listener(ack.message);
        } else if (ack.error === TIMEOUT || ack.error === OFFLINE) {
          return; // kept: sent again on the next connection
        } else if (ack.error.code === 'rate_limited') {
          const wait = ack.error.retryAfterMs ?? 1000;
          this.pending.set(message.clientId, { ...message, error: ack.error });
          this.changed();
          setTimeout(() => void this.flush(), wait);
          return;
        } else {
          this.pending.set(message.clientId, { ...message, state: 'failed', error: ack.error });
          this.changed();
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  close(): void {
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.socket.disconnect();
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private changed() {
    this.persist();
    const outbox = this.outbox();
    for (const listener of this.outboxListeners) listener(outbox);
  }

  // Unsent messages survive a reload of the page (same browser, same person).
  private persist() {
    try {
      const list = this.outbox();
      if (list.length === 0) localStorage.removeItem(this.storageKey);
      else localStorage.setItem(this.storageKey, JSON.stringify(list));
    } catch {
      // Storage full or refused: the outbox still lives in memory.
    }
  }

  private restore() {
    try {
      const raw = localStorage.getItem(this.storageKey);
      if (raw === null) return;
      const list = JSON.parse(raw) as PendingMessage[];
      if (!Array.isArray(list)) return;
      for (const m of list) {
        if (typeof m.clientId === 'string' && typeof m.channelId === 'string' && typeof m.body === 'string') {
          this.pending.set(m.clientId, { ...m, state: 'sending', error: undefined });
        }
      }
    } catch {
      localStorage.removeItem(this.storageKey);
    }
  }
}

let shared: ChannelConnection | undefined;

/** One connection per tab, kept while the person moves between channel pages. */
export function sharedConnection(userId: string): ChannelConnection {
  if (shared && shared.userId !== userId) {
    shared.close();
    shared = undefined;
  }
  shared ??= new ChannelConnection(userId);
  return shared;
}
