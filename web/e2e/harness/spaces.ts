/**
 * Helpers for the space pages' browser tests: sign a person in whatever the page's language (by the form's
 * field names, not its labels), and read a space's id from its page address.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContextOptions, Page } from 'playwright-core';
import type { TestAccount } from './accounts';
import { REPO_ROOT } from './app-server';
import type { E2eFixture } from './fixture';
import { gotoHydrated } from './navigation';

const run = promisify(execFile);

/** An organisation made the way an operator does (`cope org:create` on the running server's data folder). */
export async function createOrganisation(app: E2eFixture, name: string): Promise<void> {
  await run(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO_ROOT, 'db/src/bin/cope.ts'),
      'org:create',
      '--name',
      name,
      '--country',
      'FR',
    ],
    { cwd: REPO_ROOT, env: { ...process.env, DATA_DIR: app.dataDir, ORIGIN: app.baseUrl } },
  );
}

/** A new browser context in `locale`, signed in as `account`, on `path` (hydrated). */
export async function signedInPage(
  app: E2eFixture,
  account: TestAccount,
  path = '/',
  options: BrowserContextOptions = { locale: 'en-GB' },
): Promise<Page> {
  // axe is injected as an inline script, which the app's Content-Security-Policy would block.
  const page = await (await app.newContext({ bypassCSP: true, ...options })).newPage();
  await gotoHydrated(page, `/sign-in?next=${encodeURIComponent(path)}`);
  await page.locator('input[name="email"]').fill(account.email);
  await page.locator('input[name="password"]').fill(account.password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === path);
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  return page;
}

/** The space id in a `/spaces/<id>` address. */
export function spaceIdOf(page: Page): string {
  const id = /\/spaces\/([0-9a-f]{24})/.exec(new URL(page.url()).pathname)?.[1];
  if (id === undefined) throw new Error(`not a space page: ${page.url()}`);
  return id;
}

/** Waits for a status message (the answer to a form) to take focus, and returns its text. */
export async function focusedStatus(page: Page): Promise<string> {
  const status = page.locator('[role="status"]:focus');
  await status.waitFor();
  return status.innerText();
}
