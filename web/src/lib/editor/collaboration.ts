/**
 * The live editor of a document, for the browser only (the page imports this module in `onMount`, so
 * Tiptap, Yjs and the providers never run during server rendering).
 *
 * One Y.Doc per open document, kept in three places at once: the editor (Tiptap's Collaboration binding
 * on the `default` fragment), the server (the official y-websocket provider on `<origin>/sync/<id>`, with
 * the session cookie sent by the browser) and this device (y-indexeddb, one database per document and
 * person, so what someone typed offline survives a closed tab and merges when the connection returns).
 */
import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { SaveStateSource } from './save-state';
import { trackSaving } from './saving-status';
import { contentExtensions, DOCUMENT_FIELD } from './schema';

export interface Collaborator {
  id: string;
  name: string;
  color: string;
}

export interface PresentPerson extends Collaborator {
  /** This browser tab's own entry. */
  self: boolean;
}

export interface CollaborationOptions {
  element: HTMLElement;
  documentId: string;
  user: Collaborator;
  editable: boolean;
  /** The accessible name of the text area. */
  label: string;
  onPresence: (people: PresentPerson[]) => void;
  /** Called after every editor transaction, so toolbars can refresh their state. */
  onChange: () => void;
}

export interface CollaborationSession {
  editor: Editor;
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  /** Saving / saved / offline, from the server's stored-acknowledgements. */
  saving: SaveStateSource;
  /** Resolves once this device's stored copy is loaded into the document. */
  localCopyLoaded: Promise<void>;
  destroy(): void;
}

/** The sync endpoint on this page's origin, as a WebSocket URL. */
export function syncServerUrl(location: Location): string {
  const url = new URL('/sync', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** The local database name: per document and per person, so two people on one device never mix. */
export const localDatabaseName = (documentId: string, userId: string) =>
  `cope-document:${documentId}:${userId}`;

function caret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === 'string' ? user.color : '#1f5f5b';
  const name = typeof user.name === 'string' ? user.name : '';
  const cursor = document.createElement('span');
  cursor.className = 'collaboration-carets__caret';
  cursor.style.borderColor = color;
  // The names are shown in the list of people present; inside the text they would be read as content.
  cursor.setAttribute('aria-hidden', 'true');
  const label = document.createElement('span');
  label.className = 'collaboration-carets__label';
  label.style.backgroundColor = color;
  label.textContent = name;
  cursor.append(label);
  return cursor;
}

function presentPeople(provider: WebsocketProvider): PresentPerson[] {
  const ownClient = provider.awareness.clientID;
  const byPerson = new Map<string, PresentPerson>();
  for (const [clientId, state] of provider.awareness.getStates()) {
    const user = (state as { user?: Partial<Collaborator> }).user;
    if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') continue;
    const self = clientId === ownClient;
    const known = byPerson.get(user.id);
    // One entry per person, even with the document open in several tabs.
    if (known && !self) continue;
    byPerson.set(user.id, {
      id: user.id,
      name: user.name,
      color: typeof user.color === 'string' ? user.color : '#1f5f5b',
      self: self || (known?.self ?? false),
    });
  }
  return [...byPerson.values()].sort(
    (a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name),
  );
}

export function startCollaboration(options: CollaborationOptions): CollaborationSession {
  const ydoc = new Y.Doc();
  const local = new IndexeddbPersistence(localDatabaseName(options.documentId, options.user.id), ydoc);
  const provider = new WebsocketProvider(syncServerUrl(window.location), options.documentId, ydoc, {
    // Back-off up to 10 s between attempts when the server is away.
    maxBackoffTime: 10_000,
    // The saving tracker must see every frame: it is attached first, then the provider connects.
    connect: false,
  });
  const saving = trackSaving(provider, ydoc);
  const editor = new Editor({
    element: options.element,
    editable: options.editable,
    extensions: [
      ...contentExtensions(),
      Collaboration.configure({ document: ydoc, field: DOCUMENT_FIELD }),
      CollaborationCaret.configure({ provider, user: options.user, render: caret }),
    ],
    editorProps: {
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': options.label,
        'aria-readonly': String(!options.editable),
        class: 'document-text',
        spellcheck: 'true',
      },
    },
  });
  // The browser knows before the socket does: a dropped network can leave a socket open, silent, for
  // many seconds. Going offline disconnects at once (edits stay in IndexedDB); coming back reconnects.
  const offline = () => provider.disconnect();
  const online = () => provider.connect();
  window.addEventListener('offline', offline);
  window.addEventListener('online', online);
  if (navigator.onLine) provider.connect();
  const presence = () => options.onPresence(presentPeople(provider));
  provider.awareness.on('change', presence);
  presence();
  editor.on('transaction', options.onChange);

  return {
    editor,
    ydoc,
    provider,
    saving,
    localCopyLoaded: local.whenSynced.then(() => undefined),
    destroy() {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      provider.awareness.off('change', presence);
      saving.destroy();
      editor.destroy();
      provider.destroy();
      void local.destroy();
      ydoc.destroy();
    },
  };
}
