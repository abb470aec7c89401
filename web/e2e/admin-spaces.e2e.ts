/**
 * Staff's list of every space: a staff member who is not in a space finds it archived and restores it from
 * the list; members are refused the page and the API; the page passes axe in English and French.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount, type TestAccount } from './harness/accounts';
import { axeViolations, describeViolations } from './harness/axe';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';
import { screenshot } from './harness/screenshots';
import { signedInPage } from './harness/spaces';

const app = useApp();

async function assertAxeClean(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
}

async function postJson(page: Page, path: string, data: unknown): Promise<{ status: number; body: unknown }> {
  const response = await page.request.post(`/api/v1${path}`, {
    headers: { origin: app.baseUrl, 'content-type': 'application/json' },
    data: JSON.stringify(data),
  });
  return { status: response.status(), body: await response.json().catch(() => null) };
}

void describe('staff: all spaces', () => {
  const title = `Archived visits study ${process.pid} with a rather long title that must wrap on narrow screens`;
  let creator: TestAccount;
  let otherStaff: TestAccount;
  let owner: TestAccount;
  let spaceId = '';

  before(async () => {
    creator = await createAccount(app, 'staff', 'Cleo Creator');
    otherStaff = await createAccount(app, 'staff', 'Stan Otherstaff');
    owner = await createAccount(app, 'member', 'Olga Owner');
    const staffPage = await signedInPage(app, creator, '/');
    const created = await postJson(staffPage, '/spaces', {
      title,
      kind: 'working-group',
      countries: ['BE', 'IT'],
      ownerEmail: owner.email,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    spaceId = (created.body as { id: string }).id;
    const ownerPage = await signedInPage(app, owner, '/');
    const archived = await postJson(ownerPage, `/spaces/${spaceId}/archive`, {});
    assert.equal(archived.status, 200, JSON.stringify(archived.body));
  });

  void test('staff who are not members find the archived space and restore it', async () => {
    const page = await signedInPage(app, otherStaff, '/admin');
    await page.getByRole('link', { name: 'All spaces' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/spaces');
    await page.getByRole('searchbox', { name: 'Title' }).fill(String(process.pid));
    await page.getByLabel('State').selectOption('yes');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.searchParams.get('archived') === 'yes');
    assert.equal(await page.getByRole('status').first().innerText(), '1 space found.');
    const row = page.getByRole('row').filter({ hasText: title });
    const text = await row.innerText();
    assert.match(text, /Working group/);
    assert.match(text, /Belgium, Italy|Belgium and Italy|Belgium Italy/);
    assert.match(text, /Olga Owner/);
    assert.match(text, /Archived on/);
    await assertAxeClean(page, '/admin/spaces (en)');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertAxeClean(page, '/admin/spaces (en, narrow)');
    // On a phone the Restore button sits beside the title, not past the table's scrolled-off edge.
    const box = await row.getByRole('button', { name: `Restore “${title}”` }).boundingBox();
    assert.ok(box !== null && box.x >= 0 && box.x + box.width <= 390, JSON.stringify(box));
    await screenshot(page, 'admin-spaces-en-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });

    // The staff member is not a member: the space's own pages stay closed to them.
    const spacePage = await page.request.get(`/spaces/${spaceId}`);
    assert.equal(spacePage.status(), 404);

    await row.getByRole('button', { name: `Restore “${title}”` }).click();
    await page.waitForLoadState('load');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    assert.match(await page.locator('main').innerText(), /is restored/);

    const listed = await page.request.get('/api/v1/admin/spaces?archived=false&q=' + String(process.pid));
    assert.equal(listed.status(), 200);
    const body = (await listed.json()) as { spaces: { id: string; archivedAt: string | null }[] };
    assert.deepEqual(
      body.spaces.map((s) => [s.id, s.archivedAt]),
      [[spaceId, null]],
    );
    assert.equal(JSON.stringify(body).includes('documents'), false);
    const bad = await page.request.get('/api/v1/admin/spaces?archived=maybe&page=0');
    assert.equal(bad.status(), 422);
  });

  void test('a member, owner of the space, gets 403 from the page and the API', async () => {
    const page = await signedInPage(app, owner, '/');
    const api = await page.request.get('/api/v1/admin/spaces');
    assert.equal(api.status(), 403);
    const html = await page.request.get('/admin/spaces');
    assert.equal(html.status(), 403);
    const anonymous = await fetch(`${app.baseUrl}/api/v1/admin/spaces`);
    assert.equal(anonymous.status, 401);
  });

  void test('the page passes axe in French', async () => {
    const page = await signedInPage(app, otherStaff, '/admin/spaces', { locale: 'fr-FR' });
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Tous les espaces' }).count(), 1);
    assert.match(await page.locator('main').innerText(), /Groupe de travail/);
    await assertAxeClean(page, '/admin/spaces (fr)');
    await gotoHydrated(page, '/admin/spaces?archived=yes&q=nothing-matches');
    assert.match(await page.locator('main').innerText(), /Aucun espace ne correspond/);
    assert.equal(await page.getByRole('status').first().innerText(), '0 espace trouvé.');
    await assertAxeClean(page, '/admin/spaces empty (fr)');
    await screenshot(page, 'admin-spaces-fr-empty');
  });
});
