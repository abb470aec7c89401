import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { createAccount, type TestAccount } from './harness/accounts';
import { axeViolations, describeViolations } from './harness/axe';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';
import { screenshot } from './harness/screenshots';
import { startSmtpSink, type SmtpSink } from './harness/smtp';

let smtp: SmtpSink | undefined;
const app = useApp({
  env: async () => {
    smtp = await startSmtpSink();
    return { SMTP_URL: smtp.url, MAIL_FROM: 'COPE Workspace <workspace@example.org>' };
  },
});
after(async () => smtp?.close());

async function signedIn(
  account: TestAccount,
  locale = 'en-GB',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.newContext({ locale, bypassCSP: true });
  const page = await context.newPage();
  const response = await context.request.post('/api/v1/session', {
    data: { email: account.email, password: account.password },
  });
  assert.equal(response.status(), 201, `sign-in of ${account.email}`);
  return { context, page };
}

async function assertAxeClean(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`);
}

/** "24 Nov 2026, 21:37" (British English, medium date, short time) as minutes since 1970, read as wall-clock time. */
function wallClockMinutes(text: string): number {
  const match = /(\d{1,2}) ([A-Z][a-z]{2,3}) (\d{4}), (\d{2}):(\d{2})/u.exec(text);
  assert.ok(match, `a date and time in ${JSON.stringify(text)}`);
  const [, day = '', month = '', year = '', hour = '', minute = ''] = match;
  // British English writes September "Sept".
  const monthIndex = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(month.slice(0, 3)) / 3;
  return Date.UTC(Number(year), monthIndex, Number(day), Number(hour), Number(minute)) / 60_000;
}

/** The "Account created" value in a member page's HTML as the server sent it (before any script ran). */
function createdInHtml(html: string): string {
  const match = /<dt[^>]*>Account created<\/dt>\s*<dd[^>]*>([^<]+)<\/dd>/u.exec(html);
  assert.ok(match?.[1], 'the member page shows when the account was created');
  return match[1];
}

void describe('staff administration', () => {
  void test('staff change an organisation’s category and see it in its history and the audit log', async () => {
    const staff = await createAccount(app, 'staff', 'Sam Staff');
    const { page } = await signedIn(staff);
    await gotoHydrated(page, '/admin/outbox');
    await assertAxeClean(page, 'admin-outbox-en');
    await gotoHydrated(page, '/admin');
    await assertAxeClean(page, 'admin-en');
    await page.getByRole('link', { name: /^Organisations/ }).click();
    await page.waitForURL((url) => url.pathname === '/admin/organisations');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await assertAxeClean(page, 'admin-organisations-en');

    const name = `Kinderen Test ${process.pid}`;
    await page.getByLabel('Name', { exact: true }).last().fill(name);
    await page.getByLabel('Country', { exact: true }).selectOption('BE');
    await page.getByRole('button', { name: 'Add the organisation' }).click();
    await page.waitForURL((url) => /^\/admin\/organisations\/[0-9a-f]{24}$/.test(url.pathname));
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const organisationId = new URL(page.url()).pathname.split('/').pop() ?? '';
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), name);

    await page.getByLabel('New category').selectOption('applicant');
    await page.getByLabel('Start of the term').fill('2026-01-15');
    await page.getByRole('button', { name: 'Change the category' }).click();
    const status = page.locator('[role="status"]:focus');
    await status.waitFor();
    assert.equal(await status.innerText(), 'The category is now: Applicant.');

    const history = page.getByRole('table', { name: 'History of the category' });
    const rows = history.getByRole('row');
    assert.equal(await rows.count(), 3, 'a header, the creation and the change');
    const change = (await rows.nth(2).locator('td').allInnerTexts()).map((s) => s.trim());
    assert.equal(change[1], 'Sam Staff');
    assert.equal(change[2], 'Member organisation');
    assert.equal(change[3], 'Applicant');
    assert.match(change[4] ?? '', /2026/);
    await assertAxeClean(page, 'admin-organisation-en');

    await gotoHydrated(page, '/admin/audit');
    await page.getByLabel('Action').fill('organisation.category');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'organisation.category');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const events = page.getByRole('row').filter({ hasText: organisationId });
    assert.equal(await events.count(), 1);
    assert.match(await events.innerText(), /Membership category changed/);
    assert.match(await events.innerText(), /member → applicant/);
    assert.equal(
      await page.getByRole('row').filter({ hasText: 'Organisation created' }).count(),
      0,
      'only category changes are listed',
    );
    await assertAxeClean(page, 'admin-audit-en');

    // The same through the API, and the history in French.
    const api = await page.request.get(
      `/api/v1/audit?action=organisation.category&subject=${organisationId}`,
    );
    assert.equal(api.status(), 200);
    const body = (await api.json()) as { events: { action: string; actorName: string }[] };
    assert.deepEqual(
      body.events.map((e) => [e.action, e.actorName]),
      [['organisation.category.change', 'Sam Staff']],
    );
    for (const bad of ['from=2026-02-30', 'to=yesterday', 'cursor=1.2', 'limit=0']) {
      const refused = await page.request.get(`/api/v1/audit?${bad}`);
      assert.equal(refused.status(), 422, bad);
    }
    await gotoHydrated(page, '/admin/audit?from=2026-02-30');
    assert.equal(await page.getByLabel('From (day)').getAttribute('aria-invalid'), 'true');
    await gotoHydrated(page, `/admin/organisations/${organisationId}?lang=fr`);
    assert.equal(
      await page.getByRole('table', { name: 'Historique de la catégorie' }).getByRole('row').count(),
      3,
    );
    await assertAxeClean(page, 'admin-organisation-fr');
  });

  void test('staff disable a member, who is signed out at once and cannot sign in', async () => {
    const staff = await createAccount(app, 'staff', 'Sam Staff');
    const member = await createAccount(app, 'member', 'Dora Disabled');
    const memberSession = await signedIn(member);
    const me = await memberSession.page.request.get('/api/v1/me');
    assert.equal(me.status(), 200);

    const { page } = await signedIn(staff);
    await gotoHydrated(page, '/admin/members');
    await page.getByLabel('Name or email').fill(member.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === member.email);
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await assertAxeClean(page, 'admin-members-en');
    await page.getByRole('link', { name: 'Dora Disabled' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/members/'));
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Disable the account' }).click();
    const status = page.locator('[role="status"]:focus');
    await status.waitFor();
    assert.equal(await status.innerText(), 'The account is disabled and its sessions have ended.');
    assert.match(
      await page.getByRole('table', { name: 'History of changes' }).innerText(),
      /Account disabled/,
    );
    await assertAxeClean(page, 'admin-member-en');

    // The member's session is gone.
    assert.equal((await memberSession.page.request.get('/api/v1/me')).status(), 401);
    await gotoHydrated(memberSession.page, '/admin');
    assert.equal(new URL(memberSession.page.url()).pathname, '/sign-in');
    await memberSession.page.getByLabel('Email address').fill(member.email);
    await memberSession.page.getByLabel('Password').fill(member.password);
    await memberSession.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await memberSession.page.getByRole('alert').waitFor();
    assert.match(
      await memberSession.page.getByRole('alert').innerText(),
      /The email address or the password is not correct\./,
    );

    // Re-enabled through the API: the person signs in again.
    const memberId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const enabled = await page.request.patch(`/api/v1/people/${memberId}/status`, {
      data: { disabled: false },
    });
    assert.equal(enabled.status(), 200);
    const again = await memberSession.page.request.post('/api/v1/session', {
      data: { email: member.email, password: member.password },
    });
    assert.equal(again.status(), 201);
  });

  void test('dates are in the reader’s time zone, also in the HTML the server renders', async () => {
    const staff = await createAccount(app, 'staff', 'Tess Timezone');
    const member = await createAccount(app, 'member', 'Zoe Zone');
    const inUtc = await app.newContext({ locale: 'en-GB', timezoneId: 'UTC' });
    const inSofia = await app.newContext({ locale: 'en-GB', timezoneId: 'Europe/Sofia' });
    for (const context of [inUtc, inSofia]) {
      const signIn = await context.request.post('/api/v1/session', {
        data: { email: staff.email, password: staff.password },
      });
      assert.equal(signIn.status(), 201);
    }
    const utcPage = await inUtc.newPage();
    await gotoHydrated(utcPage, `/admin/members?q=${encodeURIComponent(member.email)}`);
    const path = (await utcPage.getByRole('link', { name: 'Zoe Zone' }).getAttribute('href')) ?? '';
    assert.match(path, /^\/admin\/members\/[0-9a-f]{24}$/);

    // UTC reader: the server's HTML and the hydrated page agree.
    const utcResponse = await gotoHydrated(utcPage, path);
    const utcTime = createdInHtml((await utcResponse?.text()) ?? '');
    const created = utcPage.locator('dt:text-is("Account created") + dd');
    assert.equal(await created.innerText(), utcTime);

    // Sofia, first visit: the server does not know the zone yet and renders UTC; once hydrated the
    // browser shows its own time and leaves the zone in the cookie.
    const sofiaPage = await inSofia.newPage();
    const firstResponse = await gotoHydrated(sofiaPage, path);
    assert.equal(createdInHtml((await firstResponse?.text()) ?? ''), utcTime);
    const sofiaCreated = sofiaPage.locator('dt:text-is("Account created") + dd');
    await sofiaCreated.filter({ hasNotText: utcTime }).waitFor();
    const sofiaHydrated = await sofiaCreated.innerText();
    assert.equal(
      wallClockMinutes(sofiaHydrated) - wallClockMinutes(utcTime),
      120,
      `${sofiaHydrated} vs ${utcTime}`,
    );
    const cookies = await inSofia.cookies();
    assert.equal(cookies.find((cookie) => cookie.name === 'tz')?.value, 'Europe%2FSofia');

    // Next request, no script at all: the server's HTML is already in Sofia time.
    const rendered = await inSofia.request.get(path);
    const sofiaTime = createdInHtml(await rendered.text());
    assert.equal(sofiaTime, sofiaHydrated);
    assert.equal(wallClockMinutes(sofiaTime) - wallClockMinutes(utcTime), 120);

    // A forged cookie is ignored: UTC again.
    await inSofia.addCookies([{ name: 'tz', value: '../etc', url: app.baseUrl }]);
    assert.equal(createdInHtml(await (await inSofia.request.get(path)).text()), utcTime);
  });

  void test('the staff pages pass axe in French, and the sign-up pages in English', async () => {
    const staff = await createAccount(app, 'staff', 'Solène Staff');
    const { page } = await signedIn(staff, 'fr-FR');
    await gotoHydrated(page, `/admin/members?q=${encodeURIComponent(staff.email)}`);
    await page.getByRole('link', { name: 'Solène Staff' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/members/'));
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    assert.match(await page.locator('main').innerText(), /C’est votre propre compte/);
    await assertAxeClean(page, 'admin-member-self-fr');
    for (const path of [
      '/admin',
      '/admin/members',
      '/admin/organisations',
      '/admin/audit',
      '/admin/outbox',
    ]) {
      await gotoHydrated(page, path);
      await assertAxeClean(page, `admin${path.replace(/\//g, '-')}-fr`);
    }
    const visitor = await (await app.newContext({ locale: 'en-GB', bypassCSP: true })).newPage();
    await gotoHydrated(visitor, '/sign-up');
    await assertAxeClean(visitor, 'sign-up-en');
    await gotoHydrated(visitor, `/sign-up/confirm/${'a'.repeat(32)}`);
    await visitor.getByRole('button', { name: 'Confirm and sign in' }).click();
    await visitor.locator('[role="alert"]').waitFor();
    await assertAxeClean(visitor, 'sign-up-confirm-invalid-en');
  });

  void test('a member gets 403 on every staff page and staff API; anonymous callers 401', async () => {
    const member = await createAccount(app, 'member', 'Mira Member');
    const { context, page } = await signedIn(member);
    const someId = 'f'.repeat(24);
    for (const path of [
      '/admin',
      '/admin/members',
      `/admin/members/${someId}`,
      '/admin/organisations',
      `/admin/organisations/${someId}`,
      '/admin/audit',
      '/admin/outbox',
      '/admin/invitations',
      '/admin/applications',
    ]) {
      const response = await page.goto(path);
      assert.equal(response?.status(), 403, path);
    }
    const calls: [string, string, unknown][] = [
      ['PATCH', `/api/v1/people/${someId}/role`, { role: 'staff' }],
      ['PATCH', `/api/v1/people/${someId}/status`, { disabled: true }],
      ['PATCH', `/api/v1/organisations/${someId}/category`, { category: 'former' }],
      ['POST', `/api/v1/invitations/${someId}/resend`, undefined],
      ['DELETE', `/api/v1/invitations/${someId}`, undefined],
      ['GET', '/api/v1/audit', undefined],
    ];
    const anonymous = await app.newContext();
    for (const [method, url, data] of calls) {
      const refused = await context.request.fetch(url, { method, ...(data ? { data } : {}) });
      assert.equal(refused.status(), 403, `${method} ${url}`);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'forbidden');
      const unknown = await anonymous.request.fetch(url, { method, ...(data ? { data } : {}) });
      assert.equal(unknown.status(), 401, `anonymous ${method} ${url}`);
    }
  });
});

void describe('affiliate sign-up', () => {
  void test('an affiliate signs up in French, confirms from the mail and is signed in', async () => {
    const context = await app.newContext({ locale: 'fr-FR', bypassCSP: true });
    const page = await context.newPage();
    await gotoHydrated(page, '/');
    assert.equal(
      await page.getByRole('link', { name: 'S’inscrire aux nouvelles' }).getAttribute('href'),
      '/sign-up',
    );
    await assertAxeClean(page, 'landing-sign-up-link-fr');
    await gotoHydrated(page, '/join');
    await page.getByRole('link', { name: 'S’inscrire aux nouvelles' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-up');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await assertAxeClean(page, 'sign-up-fr');

    // A refused password: the summary takes focus and names the problem.
    const email = `affiliate-${process.pid}@example.org`;
    await page.getByLabel('Votre nom').fill('Aurélie Affiliée');
    await page.locator('#sign-up-email').fill(email);
    await page.locator('#sign-up-password').fill('short');
    await page.getByRole('button', { name: 'S’inscrire' }).click();
    await page.locator('[role="alert"]:focus').waitFor();
    assert.equal(await page.locator('#sign-up-password').getAttribute('aria-invalid'), 'true');
    await assertAxeClean(page, 'sign-up-fr-errors');

    await page.locator('#sign-up-password').fill('lanternes sur la baie tranquille');
    await page.getByRole('button', { name: 'S’inscrire' }).click();
    await page.locator('[role="status"]:focus').waitFor();
    assert.match(await page.getByRole('status').innerText(), /Consultez votre messagerie/);

    // Not confirmed yet: signing in is refused like a wrong password.
    const early = await (
      await app.newContext()
    ).request.post('/api/v1/session', {
      data: { email, password: 'lanternes sur la baie tranquille' },
    });
    assert.equal(early.status(), 401);

    const mail = await (smtp as SmtpSink).nextMessageTo(email);
    assert.match(mail.subject ?? '', /Confirmez votre adresse/);
    const link = /https?:\/\/\S+\/sign-up\/confirm\/[a-z2-7]{32}/.exec(mail.text ?? '')?.[0];
    assert.ok(link, `a confirmation link in the mail:\n${mail.text}`);
    await gotoHydrated(page, new URL(link).pathname);
    await assertAxeClean(page, 'sign-up-confirm-fr');
    await page.getByRole('button', { name: 'Confirmer et se connecter' }).click();
    await page.waitForURL((url) => url.pathname === '/sign-up/welcome');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Bienvenue, Aurélie Affiliée');
    const me = (await (await page.request.get('/api/v1/me')).json()) as { user: { networkRole: string } };
    assert.equal(me.user.networkRole, 'affiliate');
    await assertAxeClean(page, 'sign-up-welcome-fr');

    // The link works once.
    const again = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(again, new URL(link).pathname);
    await again.getByRole('button', { name: 'Confirm and sign in' }).click();
    await again.getByRole('alert').waitFor();
    assert.equal(await again.getByRole('heading', { level: 1 }).textContent(), 'This link does not work');
  });

  void test('the API answers the same for a registered email and mails its owner instead', async () => {
    const member = await createAccount(app, 'member', 'Maya Member');
    const visitor = await app.newContext();
    const known = await visitor.request.post('/api/v1/affiliates', {
      data: { name: 'Someone', email: member.email, password: 'a long enough passphrase', locale: 'en' },
    });
    const fresh = `fresh-${process.pid}@example.org`;
    const unknown = await visitor.request.post('/api/v1/affiliates', {
      data: { name: 'Someone', email: fresh, password: 'a long enough passphrase', locale: 'en' },
    });
    assert.equal(known.status(), 202);
    assert.equal(unknown.status(), 202);
    assert.deepEqual(await known.json(), await unknown.json());
    const toOwner = await (smtp as SmtpSink).nextMessageTo(member.email);
    assert.match(toOwner.subject ?? '', /already have a COPE Workspace account/);
    const toNew = await (smtp as SmtpSink).nextMessageTo(fresh);
    assert.match(toNew.text ?? '', /\/sign-up\/confirm\/[a-z2-7]{32}/);
    // The member's password still works: nothing was changed.
    const signIn = await visitor.request.post('/api/v1/session', {
      data: { email: member.email, password: member.password },
    });
    assert.equal(signIn.status(), 201);
    const bad = await visitor.request.post('/api/v1/affiliates', {
      data: { name: '', email: 'nope', password: 'x', locale: 'en' },
    });
    assert.equal(bad.status(), 422);
  });
});
