import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from './app-server';

/** Full-page screenshots land in web/test-results/ (gitignored) for people to look at. */
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'web', 'test-results');

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
