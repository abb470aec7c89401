/**
 * The page's saving status on top of the sync server's stored-acknowledgement tracker (`SaveStatus` in
 * $lib/sync): adds "connecting" before the first connection (rather than a flash of "offline"), and
 * "refused" when the server closes the connection for good (signed out, access removed, no such document),
 * which also stops the provider from retrying.
 */
import { CLOSE_CODES } from '@cope/domain';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { SaveStatus, type SaveSnapshot } from '$lib/sync';
import type { SaveState, SaveStateSource } from './save-state';

const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.unauthenticated,
  CLOSE_CODES.forbidden,
  CLOSE_CODES.forbiddenOrigin,
  CLOSE_CODES.notFound,
]);

/** Must be called before the provider first connects, so every frame it sends is counted. */
export function trackSaving(provider: WebsocketProvider, ydoc: Y.Doc): SaveStateSource {
  const tracker = new SaveStatus(provider, ydoc);
  const listeners = new Set<() => void>();
  let snapshot: SaveSnapshot = tracker.snapshot;
  let connectedOnce = false;
  let refused = false;
  const emit = () => {
    for (const listener of listeners) listener();
  };
  const stop = tracker.subscribe((next) => {
    snapshot = next;
    emit();
  });
  const onStatus = ({ status }: { status: string }) => {
    if (status === 'connected') connectedOnce = true;
    emit();
  };
  const onClose = (event: CloseEvent | null) => {
    if (event && FINAL_CLOSE_CODES.has(event.code)) {
      refused = true;
      provider.disconnect();
      emit();
    }
  };
  provider.on('status', onStatus);
  provider.on('connection-close', onClose);
  return {
    get state(): SaveState {
      if (refused) return 'refused';
      if (!connectedOnce && snapshot.state === 'offline' && navigator.onLine) return 'connecting';
      return snapshot.state;
    },
    get hasUnsaved() {
      return snapshot.hasUnsaved;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      stop();
      provider.off('status', onStatus);
      provider.off('connection-close', onClose);
      tracker.destroy();
      listeners.clear();
    },
  };
}
