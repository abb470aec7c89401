import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount, type TestAccount } from './harness/accounts';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';

const app = useApp();

async function signInThroughForm(page: Page, account: TestAccount, path = '/sign-in'): Promise<void> {
  await gotoHydrated(page, path);
  await page.getByLabel('Email address').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

void describe('sign-in, sign-out and the staff area in the browser', () => {
  void test('a member signs in, sees their home, and signs out', async () => {
    const member = await createAccount(app, 'member', 'Mira Martin');
    const context = await app.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signInThroughForm(page, member);
    await page.waitForURL((url) => url.pathname === '/');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Welcome, Mira Martin');
    assert.match(await page.locator('main').innerText(), /Your role in the network: Member/);
    assert.equal(
      await page.getByRole('link', { name: 'Staff area' }).count(),
      0,
      'no staff link for members',
    );

    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'cope_session');
    assert.ok(session, 'the session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'One calm place to work together across Europe',
    );
    assert.equal(
      (await context.cookies()).some((cookie) => cookie.name === 'cope_session'),
      false,
    );
  });

  void test('a wrong password gets the generic message', async () => {
    const member = await createAccount(app, 'member');
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await signInThroughForm(page, { ...member, password: 'not the password at all' });
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /The email address or the password is not correct\./);
  });

  void test('repeated wrong passwords lock the account; then even the right one is refused', async () => {
    const member = await createAccount(app, 'member');
    const page = await (await app.newContext({ locale: 'fr-FR' })).newPage();
    await gotoHydrated(page, '/sign-in');
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.getByLabel('Adresse e-mail').fill(member.email);
      await page.getByLabel('Mot de passe').fill(`wrong guess number ${attempt}`);
      await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
      // The answer takes focus once it is shown: the sign that this attempt's answer arrived.
      await page.locator('[role="alert"]:focus').waitFor();
      if (attempt < 5) assert.match(await page.getByRole('alert').innerText(), /est incorrect/);
    }
    assert.match(
      await page.getByRole('alert').innerText(),
      /Trop de tentatives.*réessayer dans 15\u00a0minutes/s,
    );

    await page.getByLabel('Mot de passe').fill(member.password);
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.locator('[role="alert"]:focus').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Trop de tentatives infructueuses/);
    assert.equal(new URL(page.url()).pathname, '/sign-in', 'still on the sign-in page');
  });

  void test('anonymous visitors are sent to sign-in and come back; members get a 403 page', async () => {
    const anonymous = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await anonymous.goto('/admin/outbox');
    assert.equal(new URL(anonymous.url()).pathname, '/sign-in');
    assert.equal(new URL(anonymous.url()).searchParams.get('next'), '/admin/outbox');

    const member = await createAccount(app, 'member');
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await signInThroughForm(page, member);
    await page.waitForURL((url) => url.pathname === '/');
    const response = await page.goto('/admin');
    assert.equal(response?.status(), 403);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'You cannot open this page');
    assert.equal((await page.goto('/admin/outbox'))?.status(), 403);
  });

  void test('staff sign in through ?next= and read the outbox', async () => {
    const staff = await createAccount(app, 'staff', 'Sam Staff');
    const context = await app.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    // An invitation (no SMTP configured) leaves its mail in the outbox.
    const invited = `outbox-${process.pid}@example.org`;
    await signInThroughForm(page, staff, '/sign-in?next=/admin/outbox');
    await page.waitForURL((url) => url.pathname === '/admin/outbox');
    const invite = await page.request.post('/api/v1/invitations', {
      data: { email: invited, name: 'Olive Outbox', locale: 'en' },
      headers: { origin: app.baseUrl },
    });
    assert.equal(invite.status(), 201, await invite.text());

    await page.reload();
    const row = page.getByRole('row').filter({ hasText: invited });
    assert.equal(await row.count(), 1);
    await row.getByRole('link').click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/outbox/'));
    assert.match(await page.locator('main').innerText(), new RegExp(invited.replace(/[.]/g, '\\.')));
    assert.match(await page.locator('pre').innerText(), /\/invitations\/[a-z2-7]{32}/);
  });
});
