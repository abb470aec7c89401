/**
 * The member directory and personal profiles, end to end: the real server, real mail over SMTP for the
 * invited contact, Chromium for the pages (keyboard-usable forms, axe in English and French) and the JSON API.
 */
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

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

function api(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie !== undefined) headers.set('cookie', init.cookie);
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return fetch(`${app.baseUrl}/api/v1${path}`, { ...init, headers, redirect: 'manual' });
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

/** Signs in through the API; returns `name=value` of the session cookie. */
async function signIn(account: { email: string; password: string }): Promise<string> {
  const response = await api('/session', {
    method: 'POST',
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  assert.equal(response.status, 201);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('cope_session='));
  assert.ok(cookie, 'a session cookie is set');
  return cookie.split(';')[0] ?? '';
}

/** A browser context signed in with that session cookie. */
async function signedInContext(
  cookie: string,
  locale: 'en-GB' | 'fr-FR',
  viewport?: { width: number; height: number },
): Promise<BrowserContext> {
  const context = await app.newContext({ locale, bypassCSP: true, ...(viewport ? { viewport } : {}) });
  const [name = '', value = ''] = cookie.split('=');
  await context.addCookies([{ name, value, url: app.baseUrl }]);
  return context;
}

async function expectAxeClean(page: Page, name: string): Promise<void> {
  const violations = await axeViolations(page);
  await screenshot(page, name);
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`);
}

async function createOrganisation(staffCookie: string, body: Record<string, unknown>): Promise<string> {
  const created = await json<{ organisation: { id: string } }>(
    await api('/organisations', { method: 'POST', cookie: staffCookie, body: JSON.stringify(body) }),
    201,
  );
  return created.organisation.id;
}

let staff: TestAccount;
let staffCookie: string;
let member: TestAccount;
let memberCookie: string;
const contact = { email: `claire-${process.pid}@example.org`, password: 'amber window over the hill' };
let contactCookie: string;
const orgs: Record<'lisbon' | 'paris' | 'lyon' | 'gone', string> = {
  lisbon: '',
  paris: '',
  lyon: '',
  gone: '',
};

/** The shared accounts and organisations, made once, by the first test that needs them. */
let ready: Promise<void> | undefined;
const setUp = (): Promise<void> => (ready ??= makeFixtures());

async function makeFixtures(): Promise<void> {
  staff = await createAccount(app, 'staff', 'Sam Staff');
  staffCookie = await signIn(staff);
  member = await createAccount(app, 'member', 'Mira Member');
  memberCookie = await signIn(member);
  orgs.lisbon = await createOrganisation(staffCookie, {
    name: 'Associação Família',
    country: 'PT',
    languages: ['pt'],
    expertise: ['family-support', 'research'],
  });
  orgs.paris = await createOrganisation(staffCookie, {
    name: 'Relais Enfants Parents',
    country: 'fr',
    languages: ['fr', 'en'],
    expertise: ['prison-visits', 'family-support'],
    website: 'https://relais.example.org',
    description: 'Accompanies children visiting a parent in prison.',
  });
  orgs.lyon = await createOrganisation(staffCookie, {
    name: 'Écoute Lyon',
    country: 'FR',
    expertise: ['mental-health'],
    category: 'applicant',
  });
  orgs.gone = await createOrganisation(staffCookie, {
    name: 'Old Friends',
    country: 'FR',
    expertise: ['prison-visits'],
    category: 'former',
  });

  // Staff invite the contact of the Paris organisation; she accepts from the mail and is signed in.
  const invited = await api('/invitations', {
    method: 'POST',
    cookie: staffCookie,
    body: JSON.stringify({
      email: contact.email,
      name: 'Claire Contact',
      locale: 'en',
      organisationId: orgs.paris,
    }),
  });
  assert.equal(invited.status, 201, await invited.clone().text());
  const mail = await (smtp as SmtpSink).nextMessageTo(contact.email);
  const link = /https?:\/\/\S+\/invitations\/[a-z2-7]{32}/.exec(mail.text ?? '')?.[0];
  assert.ok(link, 'an invitation link in the mail');
  const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
  await gotoHydrated(page, new URL(link).pathname);
  await page.getByLabel('New password').fill(contact.password);
  await page.getByRole('button', { name: 'Accept and sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  contactCookie = await signIn(contact);
}

void describe('the member directory in the browser', () => {
  void test('a member finds an organisation by country and expertise, opens its profile and sees its contact', async () => {
    await setUp();
    const page = await (await signedInContext(memberCookie, 'en-GB')).newPage();
    await gotoHydrated(page, '/');
    await page.getByRole('link', { name: 'Directory' }).click();
    await page.waitForURL((url) => url.pathname === '/directory');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    // Former members are not listed.
    assert.equal(await page.getByRole('status').innerText(), '3 organisations found');
    assert.equal(await page.getByRole('link', { name: 'Old Friends' }).count(), 0);
    await expectAxeClean(page, 'directory-en-desktop');

    // Keyboard only: choose the filters and send the form with Enter.
    await page.getByLabel('Country').focus();
    await page.getByLabel('Country').selectOption('FR');
    await page.getByLabel('Area of expertise').selectOption('prison-visits');
    await page.getByLabel('Name').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('country') === 'FR');
    await page.getByRole('status').getByText('1 organisation found').waitFor();
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('expertise'), 'prison-visits');
    assert.deepEqual(await page.getByRole('heading', { level: 3 }).allInnerTexts(), [
      'Relais Enfants Parents',
    ]);

    await page.getByRole('link', { name: 'Relais Enfants Parents' }).click();
    await page.waitForURL((u) => u.pathname === `/directory/organisations/${orgs.paris}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Relais Enfants Parents');
    const contacts = page.getByRole('region', { name: 'Contacts' });
    await contacts.getByRole('link', { name: 'Claire Contact' }).waitFor();
    assert.equal(
      await contacts.getByRole('link', { name: contact.email }).getAttribute('href'),
      `mailto:${contact.email}`,
    );
    await expectAxeClean(page, 'directory-organisation-en-desktop');

    // The shared address of a search works on its own, name matching ignores case and accents.
    await gotoHydrated(page, '/directory?kind=organisations&q=ECOUTE');
    assert.deepEqual(await page.getByRole('heading', { level: 3 }).allInnerTexts(), ['Écoute Lyon']);
    // A filter the server does not understand (an edited link) is dropped, and the page says so.
    await gotoHydrated(page, '/directory?country=ZZ&expertise=prison-visits');
    await page.getByText('Some filters in this address were not understood').waitFor();
    assert.equal(await page.getByRole('status').innerText(), '1 organisation found');
    assert.equal(await page.getByLabel('Area of expertise').inputValue(), 'prison-visits');
    assert.equal(await page.getByLabel('Country').inputValue(), '');
    await gotoHydrated(page, '/directory?kind=people&category=member');
    assert.equal(await page.getByRole('status').innerText(), '1 person found');
    await page.getByRole('link', { name: 'Claire Contact' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/directory/people/'));
    assert.equal(await page.getByRole('link', { name: contact.email }).count(), 1);
    await expectAxeClean(page, 'directory-person-en-desktop');
  });

  void test('French: directory, organisation and profile pages are axe clean', async () => {
    await setUp();
    const page = await (await signedInContext(memberCookie, 'fr-FR')).newPage();
    await gotoHydrated(page, '/directory?country=FR');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Annuaire des membres');
    assert.equal(await page.getByRole('status').innerText(), '2 organisations trouvées');
    await expectAxeClean(page, 'directory-fr-desktop');
    await gotoHydrated(page, `/directory/organisations/${orgs.lyon}`);
    assert.match(await page.locator('.lead').innerText(), /^Organisation candidate depuis le /);
    await expectAxeClean(page, 'directory-organisation-fr-desktop');
    await gotoHydrated(page, '/account/profile');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Votre profil');
    await expectAxeClean(page, 'account-profile-fr-desktop');

    // A phone-sized screen: the same pages, one column.
    const phone = await (await signedInContext(memberCookie, 'fr-FR', { width: 390, height: 844 })).newPage();
    await gotoHydrated(phone, '/directory?kind=people');
    await expectAxeClean(phone, 'directory-people-fr-mobile');
  });

  void test('the language filter names each language once, in the reader’s language, never as a bare code', async () => {
    await setUp();
    const page = await (await signedInContext(memberCookie, 'fr-FR')).newPage();
    for (const address of ['/directory', '/directory?language=ja']) {
      await gotoHydrated(page, address);
      const labels = await page.locator('#filter-language option').allInnerTexts();
      const named = labels.slice(1);
      assert.ok(named.length >= 30, `${address}: ${named.length} languages`);
      assert.deepEqual(
        named.filter((label) => /^[A-Za-z]{2,3}$/.test(label.trim())),
        [],
        `${address}: bare codes`,
      );
      assert.equal(new Set(named).size, named.length, `${address}: a name twice`);
      assert.ok(named.includes('Français') && named.includes('Allemand'), address);
    }
    // A language from the address outside the usual list is still offered, and selected.
    assert.equal(await page.locator('#filter-language').inputValue(), 'ja');
    assert.equal(await page.locator('#filter-language option:checked').innerText(), 'Japonais');

    // On a profile, languages read as a sentence: one capital, the language's own "and".
    await gotoHydrated(page, `/directory/organisations/${orgs.paris}`);
    assert.match(await page.locator('main').innerText(), /Français et anglais/);
    const english = await (await signedInContext(memberCookie, 'en-GB')).newPage();
    await gotoHydrated(english, `/directory/organisations/${orgs.paris}`);
    assert.match(await english.locator('main').innerText(), /French and English/);
  });

  void test('a newcomer’s own page invites them to fill in their profile; others read that nothing is said yet', async () => {
    await setUp();
    const longName = 'Maximiliana Anastasia Wilhelmina Papadopoulou-Vandenberghe de la Fontaine';
    const newcomer = await createAccount(app, 'member', longName);
    const newcomerCookie = await signIn(newcomer);
    const me = await json<{ user: { id: string } }>(await api('/me', { cookie: newcomerCookie }), 200);
    const own = await (await signedInContext(newcomerCookie, 'en-GB', { width: 390, height: 844 })).newPage();
    await gotoHydrated(own, `/directory/people/${me.user.id}`);
    const about = own.getByRole('region', { name: 'About' });
    assert.match(await about.innerText(), /Your page says little yet/);
    assert.equal(await about.locator('dl').isVisible(), false, 'no empty list of facts');
    await about.getByRole('link', { name: 'Fill in your profile' }).click();
    await own.waitForURL((url) => url.pathname === '/account/profile');
    await gotoHydrated(own, `/directory/people/${me.user.id}`);
    await expectAxeClean(own, 'directory-person-newcomer-en-mobile');

    const other = await (await signedInContext(memberCookie, 'fr-FR')).newPage();
    await gotoHydrated(other, `/directory/people/${me.user.id}`);
    const aboutFr = other.getByRole('region', { name: 'À propos' });
    assert.equal(
      (await aboutFr.innerText()).includes(`${longName} n’en a pas encore dit plus sur son travail.`),
      true,
    );
    assert.equal(await aboutFr.getByRole('link').count(), 0);
    await expectAxeClean(other, 'directory-person-newcomer-fr-desktop');
  });

  void test('an affiliate is refused, an anonymous visitor is sent to sign in', async () => {
    await setUp();
    const affiliate = await createAccount(app, 'affiliate', 'Alex Affiliate');
    const cookie = await signIn(affiliate);
    const page = await (await signedInContext(cookie, 'en-GB')).newPage();
    await gotoHydrated(page, '/');
    assert.equal(await page.getByRole('link', { name: 'Directory' }).count(), 0);
    for (const path of ['/directory', `/directory/organisations/${orgs.paris}`]) {
      const response = await page.goto(path);
      assert.equal(response?.status(), 403, path);
    }
    assert.equal(
      (await json<ErrorBody>(await api('/organisations', { cookie }), 403)).error.code,
      'forbidden',
    );
    assert.equal((await json<ErrorBody>(await api('/people', { cookie }), 403)).error.code, 'forbidden');
    // Their own profile is theirs to edit, with a word on why they are not listed.
    await gotoHydrated(page, '/account/profile');
    await page.getByText('Affiliates are not listed in the member directory').waitFor();

    const visitor = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await visitor.goto('/directory?country=FR');
    assert.equal(new URL(visitor.url()).pathname, '/sign-in');
    assert.equal(new URL(visitor.url()).searchParams.get('next'), '/directory?country=FR');
    assert.equal((await json<ErrorBody>(await api('/organisations'), 401)).error.code, 'unauthenticated');
    assert.equal((await json<ErrorBody>(await api('/me/profile'), 401)).error.code, 'unauthenticated');
  });

  void test('a person hides their email and shows their phone; other members see the change', async () => {
    await setUp();
    const own = await (await signedInContext(contactCookie, 'en-GB')).newPage();
    await gotoHydrated(own, '/account/profile');
    await expectAxeClean(own, 'account-profile-en-desktop');
    assert.equal(await own.getByLabel('Show my email address to members').isChecked(), true);
    assert.equal(await own.getByLabel('Show my phone number to members').isChecked(), false);

    // A refused field: the error summary takes focus, links to the field, and nothing is saved.
    await own.getByLabel('Phone (optional)').fill('call me maybe');
    await own.getByLabel('Show my email address to members').uncheck();
    await own.getByRole('button', { name: 'Save my profile' }).click();
    await own.locator('[role="alert"]:focus').waitFor();
    assert.match(await own.getByRole('alert').innerText(), /Enter a phone number/);
    assert.equal(await own.getByLabel('Phone (optional)').getAttribute('aria-invalid'), 'true');
    await expectAxeClean(own, 'account-profile-error-en-desktop');
    const unchanged = await json<{ profile: { visibility: { email: boolean } } }>(
      await api('/me/profile', { cookie: contactCookie }),
      200,
    );
    assert.equal(unchanged.profile.visibility.email, true);

    await own.getByLabel('Phone (optional)').fill('+33 1 23 45 67 89');
    await own.getByLabel('Role or job title (optional)').fill('Family worker');
    await own.getByLabel('Show my phone number to members').check();
    await own.getByRole('button', { name: 'Save my profile' }).click();
    await own.locator('[role="status"]:focus').getByText('Your profile is saved.').waitFor();
    assert.equal(await own.getByLabel('Show my email address to members').isChecked(), false);

    const other = await (await signedInContext(memberCookie, 'en-GB')).newPage();
    await gotoHydrated(other, `/directory/organisations/${orgs.paris}`);
    const card = other.getByRole('listitem').filter({ hasText: 'Claire Contact' });
    await card.getByText('Family worker').waitFor();
    assert.equal(await card.getByRole('link', { name: contact.email }).count(), 0);
    assert.equal(
      await card.getByRole('link', { name: '+33 1 23 45 67 89' }).getAttribute('href'),
      'tel:+33123456789',
    );
    assert.ok(!(await other.content()).includes(contact.email), 'the hidden email is nowhere in the page');
  });
});

void describe('directory API', () => {
  void test('organisations: search, profile, staff-only creation, refused input', async () => {
    await setUp();
    const page = await json<{
      organisations: { name: string }[];
      total: number;
      page: number;
      pageSize: number;
    }>(await api('/organisations?country=fr&expertise=prison-visits', { cookie: memberCookie }), 200);
    assert.deepEqual(
      page.organisations.map((o) => o.name),
      ['Relais Enfants Parents'],
    );
    assert.deepEqual([page.total, page.page, page.pageSize], [1, 1, 20]);

    const paged = await json<{ organisations: { name: string }[]; total: number }>(
      await api('/organisations?pageSize=2&page=2', { cookie: memberCookie }),
      200,
    );
    assert.equal(paged.total, 3);
    assert.deepEqual(
      paged.organisations.map((o) => o.name),
      ['Relais Enfants Parents'],
    );

    const bad = await json<ErrorBody>(
      await api('/organisations?country=ZZ&category=former', { cookie: memberCookie }),
      422,
    );
    assert.equal(bad.error.code, 'invalid_input');
    assert.deepEqual(bad.error.details?.map((d) => d.path).sort(), ['category', 'country']);

    const one = await json<{
      organisation: { website: string; contacts: { name: string; email?: string }[] };
    }>(await api(`/organisations/${orgs.paris}`, { cookie: memberCookie }), 200);
    assert.equal(one.organisation.website, 'https://relais.example.org');
    assert.deepEqual(
      one.organisation.contacts.map((c) => c.name),
      ['Claire Contact'],
    );
    assert.equal(
      (await json<ErrorBody>(await api(`/organisations/${orgs.gone}`, { cookie: memberCookie }), 404)).error
        .code,
      'not_found',
    );
    await json<ErrorBody>(await api('/organisations/nope', { cookie: memberCookie }), 404);

    const body = JSON.stringify({ name: 'New Org', country: 'BE' });
    assert.equal(
      (
        await json<ErrorBody>(
          await api('/organisations', { method: 'POST', cookie: memberCookie, body }),
          403,
        )
      ).error.code,
      'forbidden',
    );
    const invalid = await json<ErrorBody>(
      await api('/organisations', {
        method: 'POST',
        cookie: staffCookie,
        body: JSON.stringify({ name: '', country: 'BE', website: 'javascript:x' }),
      }),
      422,
    );
    assert.deepEqual(invalid.error.details?.map((d) => d.path).sort(), ['name', 'website']);
    const foreign = await api('/organisations', {
      method: 'POST',
      cookie: staffCookie,
      body,
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal((await json<ErrorBody>(foreign, 403)).error.code, 'forbidden_origin');
  });

  void test('people and one’s own profile: visibility applies, bad input changes nothing', async () => {
    await setUp();
    const me = await json<{ user: { id: string } }>(await api('/me', { cookie: memberCookie }), 200);
    const staffPeople = await json<{ people: { name: string; category: string }[] }>(
      await api('/people?category=staff', { cookie: memberCookie }),
      200,
    );
    assert.deepEqual(
      staffPeople.people.map((p) => [p.name, p.category]),
      [['Sam Staff', 'staff']],
    );

    const before = await json<{ profile: Record<string, unknown> }>(
      await api('/me/profile', { cookie: memberCookie }),
      200,
    );
    assert.deepEqual(before.profile.visibility, { listed: true, email: true, phone: false });
    const refused = await json<ErrorBody>(
      await api('/me/profile', {
        method: 'PATCH',
        cookie: memberCookie,
        body: JSON.stringify({ jobTitle: 'Researcher', website: 'ftp://example.org' }),
      }),
      422,
    );
    assert.deepEqual(
      refused.error.details?.map((d) => d.path),
      ['website'],
    );
    assert.deepEqual(
      (await json<{ profile: unknown }>(await api('/me/profile', { cookie: memberCookie }), 200)).profile,
      before.profile,
    );

    const saved = await json<{ profile: { country: string; languages: string[] } }>(
      await api('/me/profile', {
        method: 'PATCH',
        cookie: memberCookie,
        body: JSON.stringify({ country: 'it', languages: ['it', 'en'], expertise: ['research'] }),
      }),
      200,
    );
    assert.equal(saved.profile.country, 'IT');
    const found = await json<{ people: { id: string; email?: string }[] }>(
      await api('/people?country=IT&language=it&expertise=research', { cookie: staffCookie }),
      200,
    );
    assert.deepEqual(
      found.people.map((p) => [p.id, p.email]),
      [[me.user.id, member.email]],
    );

    await json(
      await api('/me/profile', {
        method: 'PATCH',
        cookie: memberCookie,
        body: JSON.stringify({ visibility: { listed: false } }),
      }),
      200,
    );
    await json<ErrorBody>(await api(`/people/${me.user.id}`, { cookie: staffCookie }), 404);
    const after = await json<{ people: unknown[] }>(
      await api('/people?country=IT', { cookie: staffCookie }),
      200,
    );
    assert.equal(after.people.length, 0);
    await json(
      await api('/me/profile', {
        method: 'PATCH',
        cookie: memberCookie,
        body: JSON.stringify({ visibility: { listed: true } }),
      }),
      200,
    );
  });

  void test('the OpenAPI document lists the directory endpoints', async () => {
    await setUp();
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await api('/openapi.json'),
      200,
    );
    for (const [path, methods] of Object.entries({
      '/organisations': ['get', 'post'],
      '/organisations/{id}': ['get'],
      '/people': ['get'],
      '/people/{id}': ['get'],
      '/me/profile': ['get', 'patch'],
    })) {
      for (const method of methods) assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
  });
});
