import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';

const app = useApp();

void describe('landing page', () => {
  void test('speaks English to an English browser', async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    const response = await gotoHydrated(page, '/');
    assert.equal(response?.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'One calm place to work together across Europe',
    );
    assert.match(await page.title(), /^COPE Workspace/);
    assert.equal(await page.getByRole('link', { name: 'Sign in' }).count(), 2);
    assert.equal(
      await page.getByRole('link', { name: 'Join the network' }).first().getAttribute('href'),
      '/join',
    );
    assert.match(await page.locator('main').innerText(), /nothing leaks outside the space it belongs to/);
  });

  void test('speaks French to a French browser', async () => {
    const page = await (await app.newContext({ locale: 'fr-FR' })).newPage();
    await gotoHydrated(page, '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Un lieu serein pour travailler ensemble à travers l’Europe',
    );
    assert.equal(await page.getByRole('link', { name: 'Se connecter' }).count(), 2);
    assert.equal(await page.getByRole('link', { name: 'Rejoindre le réseau' }).count(), 2);
    assert.match(await page.locator('main').innerText(), /rien ne sort de l’espace auquel il appartient/);
  });

  void test('falls back to English for a language it does not speak', async () => {
    const page = await (await app.newContext({ locale: 'de-DE' })).newPage();
    await gotoHydrated(page, '/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  });

  void test('the language switcher changes the language and the choice sticks', async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(page, '/');
    const switcher = page.getByRole('navigation', { name: 'Language' });
    const french = switcher.getByRole('link', { name: 'Français' });
    assert.equal(await french.getAttribute('hreflang'), 'fr');
    assert.equal(await french.getAttribute('lang'), 'fr');
    assert.equal(await switcher.getByRole('link', { name: 'English' }).getAttribute('aria-current'), 'true');

    await french.click();
    // The switch reloads the page; wait for the new document, then check where it landed.
    await page.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(
      await page
        .getByRole('navigation', { name: 'Langue' })
        .getByRole('link', { name: 'Français' })
        .getAttribute('aria-current'),
      'true',
    );

    // The choice outlives the page: another page, then a reload, both stay French.
    await gotoHydrated(page, '/sign-in');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Se connecter');
    await page.reload();
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');

    // And it switches back, staying on the same page.
    await page.getByRole('link', { name: 'English' }).click();
    // The switch reloads the page; wait for the new document, then check where it landed.
    await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');
  });

  void test('the language switcher works without JavaScript', async () => {
    const page = await (await app.newContext({ locale: 'en-GB', javaScriptEnabled: false })).newPage();
    await page.goto('/join');
    await page.getByRole('link', { name: 'Français' }).click();
    // The switch reloads the page; wait for the new document, then check where it landed.
    await page.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    assert.equal(new URL(page.url()).pathname, '/join');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Rejoindre le réseau');
  });

  void test('an unknown language in the switcher link is ignored', async () => {
    const page = await (await app.newContext({ locale: 'fr-FR' })).newPage();
    await gotoHydrated(page, '/?lang=xx');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  });

  void test('the language redirect never leaves the site', async () => {
    for (const path of [
      '//evil.example/?lang=fr',
      '/\\evil.example/?lang=fr',
      '///evil.example?lang=en&a=1',
    ]) {
      const response = await fetch(`${app.baseUrl}${path}`, { redirect: 'manual' });
      assert.equal(response.status, 303, path);
      const location = response.headers.get('location') ?? '';
      assert.match(location, /^\/[^/\\]/, `${path} → ${location}`);
      assert.equal(new URL(location, app.baseUrl).origin, app.baseUrl);
    }
  });

  void test('the skip link is the first tab stop and moves focus to the main content', async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(page, '/');
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.textContent(), 'Skip to main content');
    assert.equal(await focused.getAttribute('href'), '#main');
    assert.equal(await focused.isVisible(), true);

    await page.keyboard.press('Enter');
    assert.equal(await page.locator(':focus').getAttribute('id'), 'main');
    // The next tab stop is inside main: the first call to action.
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Sign in');
    assert.equal(await page.locator('main :focus').count(), 1);
  });

  void test('the skip link also works without JavaScript', async () => {
    const page = await (await app.newContext({ locale: 'fr-FR', javaScriptEnabled: false })).newPage();
    await page.goto('/sign-in');
    await page.keyboard.press('Tab');
    assert.equal(await page.locator(':focus').textContent(), 'Aller au contenu principal');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(':focus').getAttribute('id'), 'main');
  });

  void test('the language switcher is reachable and usable with the keyboard alone', async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(page, '/');
    // Tab order: skip link, product name (home), English, Français.
    const stops: (string | null)[] = [];
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      stops.push(await page.locator(':focus').getAttribute('hreflang'));
    }
    assert.deepEqual(stops, [null, null, 'en', 'fr']);
    await page.keyboard.press('Enter');
    await page.locator('html[lang="fr"]').waitFor({ state: 'attached' });
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Un lieu serein pour travailler ensemble à travers l’Europe',
    );
  });

  void test('an unknown address shows a localized error page', async () => {
    const page = await (await app.newContext({ locale: 'fr-FR' })).newPage();
    const response = await gotoHydrated(page, '/no-such-page');
    assert.equal(response?.status(), 404);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Nous ne trouvons pas cette page',
    );
  });
});
