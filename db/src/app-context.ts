/**
 * The process's services, handed from the host process (realtime/src/main.ts) to the web app's server code.
 *
 * SvelteKit's server code runs in the same process but is bundled separately (and, in development, loaded
 * by Vite's module runner), so it must not import the database modules itself: it reads this context. The
 * context lives on `globalThis` under a registered symbol, so every module instance sees the same one.
 * This file has type imports only, so bundling it pulls in nothing else.
 */
import type { Logger } from 'pino';
import type { DbHandle } from './connect';
import type { Mailer } from './mail/index';

export interface AppContext {
  /** The public origin, e.g. https://workspace.example.org. */
  origin: string;
  dataDir: string;
  logger: Logger;
  db: DbHandle;
  mailer: Mailer;
}

const KEY = Symbol.for('cope.app-context');
type WithContext = typeof globalThis & { [KEY]?: AppContext };

export function provideAppContext(context: AppContext | undefined): void {
  (globalThis as WithContext)[KEY] = context;
}

export function appContext(): AppContext {
  const context = (globalThis as WithContext)[KEY];
  if (!context) {
    throw new Error('The app context is missing: the web app runs only inside the COPE server process.');
  }
  return context;
}
