/**
 * The browser's one socket.io connection for the channel pages: opens the socket, tells whether it is
 * online, offline or connecting (the window's `online`/`offline` events act at once, where the heartbeat
 * would take ~25 s), and keeps the outbox in `localStorage`. Requests, server events and the outbox are the
 * one `ChannelClient` (../client.ts); this class only adds what needs a browser.
 *
 * Framework-free on purpose: the Svelte state (conversation.svelte.ts, channel-list.svelte.ts) listens to it.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  ChannelError,
  ClientAck,
  ClientEventName,
  ClientPayload,
  Message,
  ServerEvents,
} from '@cope/domain';
import { ChannelClient, newClientId, type OutboxEntry } from '../client';
import { localOutboxStorage } from './outbox-storage';

export type ConnectionState = 'connecting' | 'online' | 'offline';

const OFFLINE: ChannelError = { code: 'internal', message: 'offline' };

type Listener<T> = (value: T) => void;

export class ChannelConnection {
  readonly socket: Socket;
  readonly client: ChannelClient;
  state: ConnectionState = 'connecting';
  private readonly stateListeners = new Set<Listener<ConnectionState>>();
  private readonly reconnectListeners = new Set<() => void>();
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
    this.socket = io({
      path: '/socket.io/',
      transports: ['websocket'],
      withCredentials: true,
      autoConnect: false,
    });
    // The client first: on `connect` it starts sending the outbox before the pages rejoin their channels.
    this.client = new ChannelClient(this.socket, { storage: localOutboxStorage(userId) });
    this.socket.on('connect', () => {
      const again = this.connectedOnce;
      this.connectedOnce = true;
      this.setState('online');
      if (again) for (const listener of this.reconnectListeners) listener();
    });
    this.socket.on('disconnect', () => this.setState(navigator.onLine ? 'connecting' : 'offline'));
    this.socket.on('connect_error', () => this.setState(navigator.onLine ? 'connecting' : 'offline'));
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    this.socket.connect();
  }

  /** Emits a client event and resolves with its acknowledgement (an error when offline or unanswered). */
  request<E extends ClientEventName>(event: E, payload: ClientPayload<E>): Promise<ClientAck<E>> {
    if (this.state === 'offline') return Promise.resolve({ ok: false, error: OFFLINE });
    return this.client.request(event, payload);
  }

  on<E extends keyof ServerEvents>(event: E, listener: (payload: ServerEvents[E]) => void): () => void {
    return this.client.on(event, listener);
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

  /** The outbox now and after every change. */
  onOutbox(listener: Listener<OutboxEntry[]>): () => void {
    listener(this.client.pending());
    return this.client.onOutboxChange(listener);
  }

  /** Each message the server stored for a send of this tab (also for a retry it had stored before). */
  onStored(listener: Listener<Message>): () => void {
    return this.client.onStored(listener);
  }

  outbox(): OutboxEntry[] {
    return this.client.pending();
  }

  /** Queues a message and sends it when its turn comes; it shows as "sending" until the server stores it. */
  send(channelId: string, body: string, parentId: string | null = null): void {
    void this.client.send({ channelId, body, parentId, clientId: newClientId() });
  }

  /** Forgets a message the server refused (the person copied or abandoned it). */
  discard(clientId: string): void {
    this.client.discard(clientId);
  }

  /** Tries a refused message again. */
  retry(clientId: string): void {
    void this.client.retry(clientId);
  }

  close(): void {
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.client.close();
    this.socket.disconnect();
  }

  private setState(state: ConnectionState) {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
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
