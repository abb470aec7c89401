/**
 * One app server and one browser per test file, each test in its own browser context (own cookies).
 */
import { after, before } from 'node:test';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { startAppServer, type AppServer } from './app-server';
import { launchChromium } from './browser';

export interface E2eFixture {
  readonly baseUrl: string;
  /** The server's data folder: the command line creates accounts there while the server runs. */
  readonly dataDir: string;
  /** A fresh context (no cookies) whose pages resolve relative URLs against the app. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

export interface UseAppOptions {
  /** Extra environment for the server, computed when it starts (after the file's earlier `before` hooks). */
  env?: () => Record<string, string> | Promise<Record<string, string>>;
}

export function useApp(options: UseAppOptions = {}): E2eFixture {
  let app: AppServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  before(async () => {
    app = await startAppServer(await options.env?.());
    browser = await launchChromium();
  });

  after(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await app?.stop();
  });

  return {
    get baseUrl() {
      if (!app) throw new Error('the app server is not started');
      return app.baseUrl;
    },
    get dataDir() {
      if (!app) throw new Error('the app server is not started');
      return app.dataDir;
    },
    async newContext(options = {}) {
      if (!browser || !app) throw new Error('the app server or browser is not started');
      const context = await browser.newContext({ baseURL: app.baseUrl, ...options });
      contexts.push(context);
      return context;
    },
  };
}
