/**
 * The saving status from the provider's connection alone: changes made while connected count as saved once
 * the socket has sent them, changes made while disconnected keep the status at "offline" (they are in
 * IndexedDB) until the connection is back and they are sent. Used where the server's stored
 * acknowledgements are not available; the close codes that mean "do not retry" stop reconnecting.
 */
import { CLOSE_CODES } from '@cope/domain';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { SaveState, SaveStateSource } from './save-state';

const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.unauthenticated,
  CLOSE_CODES.forbidden,
  CLOSE_CODES.forbiddenOrigin,
  CLOSE_CODES.notFound,
]);

export function connectionSaveState(provider: WebsocketProvider, ydoc: Y.Doc): SaveStateSource {
  const listeners = new Set<() => void>();
  let state: SaveState = 'connecting';
  let unsent = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const set = (next: SaveState) => {
    if (next === state) return;
    state = next;
    for (const listener of listeners) listener();
  };
  const settle = () => {
    clearTimeout(timer);
    if (!provider.wsconnected || !provider.synced) return;
    // Sent once the socket's buffer is empty.
    const drain = () => {
      if ((provider.ws?.bufferedAmount ?? 0) > 0) {
        timer = setTimeout(drain, 50);
        return;
      }
      unsent = false;
      set('saved');
    };
    timer = setTimeout(drain, 50);
  };
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    unsent = true;
    if (state === 'refused') return;
    set(provider.wsconnected ? 'saving' : 'offline');
    settle();
  };
  const onStatus = ({ status }: { status: string }) => {
    if (state === 'refused') return;
    if (status === 'disconnected') set('offline');
    else if (status === 'connected') set(unsent ? 'saving' : 'connecting');
  };
  const onSync = (synced: boolean) => {
    if (synced && state !== 'refused') {
      if (unsent) set('saving');
      settle();
    }
  };
  const onClose = (event: CloseEvent | null) => {
    if (event && FINAL_CLOSE_CODES.has(event.code)) {
      provider.disconnect();
      set('refused');
    }
  };
  ydoc.on('update', onUpdate);
  provider.on('status', onStatus);
  provider.on('sync', onSync);
  provider.on('connection-close', onClose);
  return {
    get state() {
      return state;
    },
    get hasUnsaved() {
      return unsent;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      clearTimeout(timer);
      ydoc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
      listeners.clear();
    },
  };
}
