/**
 * The outbox kept in `localStorage`, per person: messages not yet stored by the server survive a reload of
 * the page (same browser, same person). The client validates what comes back.
 */
import type { OutboxEntry, OutboxStorage } from '../client';

export function localOutboxStorage(userId: string): OutboxStorage {
  const key = `cope.channels.outbox.${userId}`;
  return {
    load(): unknown {
      try {
        const raw = localStorage.getItem(key);
        return raw === null ? [] : JSON.parse(raw);
      } catch {
        // Unreadable (or refused): start empty rather than fail the page.
        return [];
      }
    },
    save(entries: readonly OutboxEntry[]): void {
      if (entries.length === 0) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(entries));
    },
  };
}
