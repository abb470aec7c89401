import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';

const app = useApp();

void describe('sign-in page', () => {
  void test('renders an accessible form', async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    const response = await gotoHydrated(page, '/sign-in');
    assert.equal(response?.status(), 200);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');
    const email = page.getByLabel('Email address');
    const password = page.getByLabel('Password');
    assert.equal(await email.getAttribute('type'), 'email');
    assert.equal(await email.getAttribute('autocomplete'), 'username');
    assert.equal(await password.getAttribute('type'), 'password');
    assert.equal(await password.getAttribute('autocomplete'), 'current-password');
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 1);
  });

  void test("keeps what was typed before the page's script arrived", async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    // The app's scripts arrive only once the person has typed, as on a slow connection.
    let release!: () => void;
    const typed = new Promise<void>((resolve) => (release = resolve));
    const appScript = (url: URL) =>
      url.pathname.startsWith('/_app/immutable/') && url.pathname.endsWith('.js');
    await page.route(appScript, async (route) => {
      await typed;
      await route.continue();
    });
    await page.goto('/sign-in', { waitUntil: 'domcontentloaded' });
    assert.equal(await page.locator('html[data-hydrated]').count(), 0, 'typed before hydration');
    await page.getByLabel('Email address').fill('ana@example.org');
    await page.getByLabel('Password').fill('a long passphrase');
    release();
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    assert.equal(await page.getByLabel('Email address').inputValue(), 'ana@example.org');
    assert.equal(await page.getByLabel('Password').inputValue(), 'a long passphrase');
  });

  void test('refuses an empty form with a message for each field', async () => {
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(page, '/sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Enter your email address\./);
    assert.match(await alert.innerText(), /Enter your password\./);
    assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Email address').getAttribute('aria-describedby'), 'email-error');
    // The answer takes focus so a screen reader reads it.
    assert.equal(await page.locator(':focus').getAttribute('role'), 'alert');
  });

  void test('refuses a malformed email address in French, keeping what was typed', async () => {
    const page = await (await app.newContext({ locale: 'fr-FR' })).newPage();
    await gotoHydrated(page, '/sign-in');
    await page.getByLabel('Adresse e-mail').fill('pas-une-adresse');
    await page.getByLabel('Mot de passe').fill('secret');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Saisissez une adresse e-mail de la forme/);
    assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), 'pas-une-adresse');
  });

  void test('refuses unknown credentials with one generic message, without a session', async () => {
    const context = await app.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await gotoHydrated(page, '/sign-in');
    await page.getByLabel('Email address').fill('ana@example.org');
    await page.getByLabel('Password').fill('a long passphrase');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /The email address or the password is not correct\./);
    assert.equal(await page.getByLabel('Email address').inputValue(), 'ana@example.org');
    assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is not kept');
    assert.equal(await page.locator(':focus').getAttribute('role'), 'alert');
    const cookies = await context.cookies();
    assert.deepEqual(
      cookies.map((cookie) => cookie.name),
      [],
      'no session cookie after a refusal',
    );
  });

  void test('the form works without JavaScript, in French', async () => {
    const page = await (await app.newContext({ locale: 'fr-FR', javaScriptEnabled: false })).newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Adresse e-mail').fill('ana@example.org');
    await page.getByLabel('Mot de passe').fill('une phrase secrète');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(
      await page.getByRole('alert').innerText(),
      /L’adresse e-mail ou le mot de passe est incorrect/,
    );
    assert.equal(await page.getByLabel('Adresse e-mail').inputValue(), 'ana@example.org');
  });

  void test('the form action validates input posted directly, as a browser without JavaScript does', async () => {
    const form = new URLSearchParams({ email: 'x'.repeat(300) + '@example.org', password: 'p' });
    const response = await fetch(`${app.baseUrl}/sign-in`, {
      method: 'POST',
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        origin: app.baseUrl,
        'accept-language': 'fr',
      },
      body: form,
    });
    assert.equal(response.status, 400);
    const html = await response.text();
    assert.match(html, /Une adresse e-mail compte au plus 254/);
  });
});
