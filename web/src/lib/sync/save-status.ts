/**
 * "Saving… / All changes saved / Offline" for a y-websocket provider, driven by the sync server's
 * stored-acknowledgements (message type 100, see docs/protocols.md). Framework-free: the editor page
 * subscribes and renders; `hasUnsaved` drives the warning before leaving the page.
 *
 * How it knows: the server counts the document frames (sync step 2 and update messages) it received on the
 * connection and acknowledges how many of them are stored. This tracker counts the same frames as the
 * provider sends them, and remembers the count at the last local change. All local changes are stored once
 * the acknowledged count reaches it. Changes made while offline (or restored from IndexedDB) are sent again
 * in the sync step 2 of the next connection, so they count as unsaved until that connection acknowledges it.
 *
 * Create it before the provider connects (`new WebsocketProvider(…, { connect: false })`, then
 * `provider.connect()`): frames sent before it exists are not counted.
 */
import { isDocumentFrame, MESSAGE_STORED, decodeStoredAck } from '@cope/domain';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';

export type SaveState = 'saving' | 'saved' | 'offline';

export interface SaveSnapshot {
  state: SaveState;
  /** Local changes the server has not confirmed as stored (on this connection). */
  hasUnsaved: boolean;
  /** The server refused a change because this person may only read the document. */
  refused: boolean;
}

/** Waiting for changes that still have to be sent, on the next connection's sync. */
const UNSENT = Number.POSITIVE_INFINITY;
const MESSAGE_AUTH = 2;

export class SaveStatus {
  private sent = 0;
  private settled = 0;
  /** The frame count that must be acknowledged for everything local to be stored (0: nothing pending). */
  private waitingFor = 0;
  private refused = false;
  private readonly listeners = new Set<(snapshot: SaveSnapshot) => void>();
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly doc: Y.Doc,
  ) {
    provider.messageHandlers[MESSAGE_STORED] = (_encoder, decoder) => {
      const settled = decodeStoredAck(decoder.arr);
      if (settled === null) return;
      this.settled = settled;
      if (this.waitingFor !== UNSENT && this.settled >= this.waitingFor) this.waitingFor = 0;
      this.emit();
    };
    const authHandler = provider.messageHandlers[MESSAGE_AUTH];
    if (authHandler) {
      provider.messageHandlers[MESSAGE_AUTH] = (...args) => {
        this.refused = true;
        authHandler(...args);
        this.emit();
      };
    }
    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      if (status === 'connected') this.countFramesOf(provider.ws);
      // Whatever was not acknowledged goes again with the next connection's sync.
      else if (this.waitingFor > 0) this.waitingFor = UNSENT;
      this.emit();
    };
    const onSync = (synced: boolean) => {
      // By the time the server's sync step 2 arrives, our own step 2 (with every change it lacked) is sent.
      if (synced && this.waitingFor === UNSENT) this.waitingFor = this.sent;
      if (this.waitingFor !== UNSENT && this.settled >= this.waitingFor) this.waitingFor = 0;
      this.emit();
    };
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === provider) return;
      // The provider's own update handler ran before this one and has sent the change, if it could.
      this.waitingFor = provider.wsconnected && provider.synced ? this.sent : UNSENT;
      this.emit();
    };
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    doc.on('update', onUpdate);
    this.cleanups.push(
      () => provider.off('status', onStatus),
      () => provider.off('sync', onSync),
      () => doc.off('update', onUpdate),
    );
    if (provider.wsconnected) this.countFramesOf(provider.ws);
  }

  /** Counts the document frames sent on this connection (the counts restart with each connection). */
  private countFramesOf(ws: WebSocket | null): void {
    this.sent = 0;
    this.settled = 0;
    if (ws === null) return;
    const send = ws.send.bind(ws);
    ws.send = (data) => {
      if (isDocumentFrame(bytesOf(data))) this.sent++;
      send(data);
    };
  }

  get snapshot(): SaveSnapshot {
    // A refused change will never be stored: it stays unsaved.
    const hasUnsaved = this.waitingFor > 0 || this.refused;
    const state: SaveState = !this.provider.wsconnected ? 'offline' : hasUnsaved ? 'saving' : 'saved';
    return { state, hasUnsaved, refused: this.refused };
  }

  /** Calls `listener` now and on every change; returns the unsubscribe function. */
  subscribe(listener: (snapshot: SaveSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.snapshot);
    return () => this.listeners.delete(listener);
  }

  private last: string | undefined;
  private emit(): void {
    const snapshot = this.snapshot;
    const key = `${snapshot.state}/${snapshot.hasUnsaved}/${snapshot.refused}`;
    if (key === this.last) return;
    this.last = key;
    for (const listener of this.listeners) listener(snapshot);
  }

  destroy(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.listeners.clear();
    // Later acknowledgements are ignored quietly (an unknown message type makes the provider log an error).
    this.provider.messageHandlers[MESSAGE_STORED] = () => undefined;
  }
}

function bytesOf(data: string | ArrayBufferLike | Blob | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(0);
}
