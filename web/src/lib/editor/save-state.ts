/**
 * What the saving status line shows, and whether leaving the page would lose changes.
 * `connecting` and `refused` are the page's own (before the first sync, and when the server closed the
 * connection for good); `saving`, `saved` and `offline` follow the stored-acknowledgement tracker.
 */
export type SaveState = 'connecting' | 'saving' | 'saved' | 'offline' | 'refused';

export interface SaveStateSource {
  readonly state: SaveState;
  readonly hasUnsaved: boolean;
  /** Calls `listener` on every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  destroy(): void;
}
