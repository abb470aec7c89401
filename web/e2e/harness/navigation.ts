import type { Page, Response } from 'playwright-core';

/**
 * Opens a page and waits until the app has hydrated it (the root layout sets `data-hydrated` on
 * <html>), so typing and clicking reach Svelte's handlers rather than racing hydration.
 */
export async function gotoHydrated(page: Page, path: string): Promise<Response | null> {
  const response = await page.goto(path);
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
  return response;
}
