import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createAccount, type TestAccount } from './harness/accounts';
import { axeViolations, describeViolations } from './harness/axe';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';
import { screenshot } from './harness/screenshots';
import { createOrganisation, focusedStatus, signedInPage, spaceIdOf } from './harness/spaces';

const app = useApp();

async function assertAxeClean(page: Page, what: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
}

/** The list item of a document or folder in the space's tree, by its exact title (the innermost one). */
function treeItem(page: Page, title: string) {
  return page
    .getByRole('navigation', { name: 'Documents and folders' })
    .getByRole('listitem')
    .filter({ has: page.getByText(title, { exact: true }) })
    .last();
}

void describe('spaces and the signed-in home in the browser', () => {
  const title = `Family contact study ${process.pid}`;
  let staff: TestAccount;
  let member: TestAccount;
  let viewer: TestAccount;
  let outsider: TestAccount;
  let spaceId = '';

  before(async () => {
    staff = await createAccount(app, 'staff', 'Sam Staff');
    member = await createAccount(app, 'member', 'Mira Member');
    viewer = await createAccount(app, 'member', 'Vera Viewer');
    outsider = await createAccount(app, 'member', 'Otto Outsider');
    await createOrganisation(app, `Relais Enfants Parents ${process.pid}`);
  });

  void test('staff create a space and add members by email', async () => {
    const page = await signedInPage(app, staff, '/spaces');
    await assertAxeClean(page, '/spaces with the new-space form (staff, en)');

    // A title alone is refused with the error summary, focused, linking to the field.
    await page.getByLabel('Countries (optional)').fill('France, XX');
    await page.getByRole('button', { name: 'Create the space' }).click();
    const summary = page.locator('[role="alert"]:focus');
    await summary.waitFor();
    assert.match(await summary.innerText(), /Enter a title/);
    assert.match(await summary.innerText(), /two-letter country codes/);
    assert.equal(await page.getByLabel('Title').getAttribute('aria-invalid'), 'true');
    await assertAxeClean(page, '/spaces with errors');

    await page.getByLabel('Title').fill(title);
    await page
      .getByLabel('Description (optional)')
      .fill('How children keep in touch with a parent in prison.');
    await page.getByLabel('Research study').check();
    await page.getByLabel('Countries (optional)').fill('FR, de');
    await page.getByLabel('Working languages (optional)').fill('en, fr');
    await page.getByRole('button', { name: 'Create the space' }).click();
    await page.waitForURL((url) => /^\/spaces\/[0-9a-f]{24}$/.test(url.pathname));
    spaceId = spaceIdOf(page);
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), title);
    const details = await page.getByRole('region', { name: 'About this space' }).innerText();
    assert.match(details, /Research study/);
    assert.match(details, /France and Germany/);
    assert.match(details, /English and French/);

    await gotoHydrated(page, `/spaces/${spaceId}/members`);
    await page.getByLabel('Email address').fill(member.email);
    await page.locator('#member-role').selectOption('owner');
    await page.getByRole('button', { name: 'Add the person' }).click();
    assert.equal(await focusedStatus(page), 'Mira Member was added as Owner.');
    await page.getByLabel('Email address').fill(viewer.email);
    await page.locator('#member-role').selectOption('viewer');
    await page.getByRole('button', { name: 'Add the person' }).click();
    assert.equal(await focusedStatus(page), 'Vera Viewer was added as Viewer.');

    // An address without an account: refused in the summary, nothing added.
    await page.getByLabel('Email address').fill(`nobody-${process.pid}@example.org`);
    await page.getByRole('button', { name: 'Add the person' }).click();
    await page.locator('[role="alert"]:focus').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /No one has an account/);
    assert.equal(await page.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await page.getByRole('region', { name: 'People' }).getByRole('row').count(),
      4,
      'a header row and three people',
    );
    // A whole organisation, as commenter.
    await page
      .getByLabel('Organisation', { exact: true })
      .selectOption({ label: `Relais Enfants Parents ${process.pid}` });
    await page.locator('#organisation-role').selectOption('commenter');
    await page.getByRole('button', { name: 'Add the organisation' }).click();
    assert.equal(await focusedStatus(page), `Relais Enfants Parents ${process.pid} was added as Commenter.`);
    const organisations = page.getByRole('region', { name: 'Organisations' });
    assert.match(await organisations.innerText(), /All contacts of the organisation/);
    await assertAxeClean(page, 'members page (owner, en)');
    await screenshot(page, 'space-members-en-desktop');

    // Roles change in place; removing the organisation leaves the list of organisations empty.
    await page.getByLabel('Role of Vera Viewer').selectOption('commenter');
    await page.getByRole('button', { name: 'Change role for Vera Viewer' }).click();
    assert.equal(await focusedStatus(page), 'Vera Viewer is now Commenter.');
    await page.getByLabel('Role of Vera Viewer').selectOption('viewer');
    await page.getByRole('button', { name: 'Change role for Vera Viewer' }).click();
    assert.equal(await focusedStatus(page), 'Vera Viewer is now Viewer.');
    await page
      .getByRole('button', { name: `Remove Relais Enfants Parents ${process.pid} from the space` })
      .click();
    assert.equal(
      await focusedStatus(page),
      `Relais Enfants Parents ${process.pid} was removed from the space.`,
    );
    assert.match(await organisations.innerText(), /None\./);
  });

  void test('a member finds the space, creates, renames, moves, trashes and restores a document', async () => {
    const page = await signedInPage(app, member, '/');
    await page.getByRole('link', { name: title }).waitFor();
    assert.match(await page.locator('main').innerText(), /Your role: Owner/);
    await assertAxeClean(page, 'home (member, en)');
    await screenshot(page, 'home-member-en-desktop');

    await gotoHydrated(page, '/spaces');
    assert.equal(await page.getByRole('link', { name: title }).count(), 1);
    assert.equal(
      await page.getByRole('heading', { name: 'New space' }).count(),
      0,
      'members do not create spaces',
    );
    await assertAxeClean(page, '/spaces (member, en)');

    await gotoHydrated(page, `/spaces/${spaceId}`);
    await page.getByLabel('Title', { exact: true }).fill('Protocol draft');
    await page.getByLabel('Research study protocol').check();
    await page.getByRole('button', { name: 'Create the document' }).click();
    await page.waitForURL((url) => url.pathname.startsWith(`/spaces/${spaceId}/documents/`));

    await gotoHydrated(page, `/spaces/${spaceId}`);
    assert.equal(await page.getByRole('link', { name: 'Protocol draft' }).count(), 1);
    await page.getByLabel('Folder name').fill('Ethics');
    await page.getByRole('button', { name: 'Create the folder' }).click();
    assert.equal(await focusedStatus(page), 'The folder “Ethics” was created.');

    const draft = treeItem(page, 'Protocol draft');
    await draft.locator('summary').click();
    await draft.getByLabel('New name').fill('Study protocol');
    await draft.getByRole('button', { name: 'Rename' }).click();
    assert.equal(await focusedStatus(page), 'Renamed to “Study protocol”.');

    const renamed = treeItem(page, 'Study protocol');
    await renamed.locator('summary').click();
    await renamed.getByLabel('Move to').selectOption({ label: 'Ethics' });
    await renamed.getByRole('button', { name: 'Move', exact: true }).click();
    assert.equal(await focusedStatus(page), '“Study protocol” was moved.');
    // Now inside the folder's own list.
    assert.equal(await treeItem(page, 'Ethics').getByRole('link', { name: 'Study protocol' }).count(), 1);
    assert.equal(
      await page.getByRole('link', { name: 'Open the channels' }).getAttribute('href'),
      `/spaces/${spaceId}/channels`,
    );
    assert.equal(
      await page.getByRole('link', { name: 'Import a Markdown or Word file as a new document' }).count(),
      1,
    );
    await assertAxeClean(page, 'space page (owner, en)');
    await screenshot(page, 'space-owner-en-desktop');

    const moved = treeItem(page, 'Study protocol');
    await moved.locator('summary').click();
    await moved.getByRole('button', { name: 'Move to trash' }).click();
    assert.equal(await focusedStatus(page), '“Study protocol” is in the trash for 30 days.');
    assert.equal(await page.getByRole('link', { name: 'Study protocol' }).count(), 0);

    await gotoHydrated(page, `/spaces/${spaceId}/trash`);
    const item = page.getByRole('listitem').filter({ hasText: 'Study protocol' });
    assert.match(await item.innerText(), /30 days left/);
    await assertAxeClean(page, 'trash (owner, en)');
    await page.getByRole('button', { name: 'Restore Study protocol' }).click();
    assert.equal(await focusedStatus(page), '“Study protocol” was restored.');
    await gotoHydrated(page, `/spaces/${spaceId}`);
    assert.equal(await treeItem(page, 'Ethics').getByRole('link', { name: 'Study protocol' }).count(), 1);
  });

  void test('a document title the schema refuses is named in the focused error summary', async () => {
    const page = await signedInPage(app, member, `/spaces/${spaceId}`);
    await page.getByLabel('Title', { exact: true }).fill('   ');
    await page.getByRole('button', { name: 'Create the document' }).click();
    await page.locator('[role="alert"]:focus').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Enter a title of at most 200 characters/);
    assert.equal(await page.getByLabel('Title', { exact: true }).getAttribute('aria-invalid'), 'true');
    await page.getByRole('alert').getByRole('link').click();
    assert.equal(await page.evaluate('document.activeElement.id'), 'doc-title');
    await assertAxeClean(page, 'space page with errors (en)');
  });

  void test('the home page lists what others edited since the last visit, with who and when', async () => {
    // Sam (an owner) types in the document Mira opened when she created it.
    const editor = await signedInPage(app, staff, `/spaces/${spaceId}`);
    await editor.getByRole('link', { name: 'Study protocol' }).click();
    await editor.waitForURL((url) => url.pathname.startsWith(`/spaces/${spaceId}/documents/`));
    const text = editor.locator('[contenteditable="true"]').first();
    await text.waitFor();
    await text.click();
    await editor.keyboard.type('Consent forms are ready. ');
    await editor.getByText('All changes saved').waitFor();

    const home = await signedInPage(app, member, '/');
    const changes = home.getByRole('region', { name: 'Changed since your last visit' });
    // The edit is recorded right after the server stores it: look again until it shows (bounded).
    for (let attempt = 0; attempt < 50; attempt += 1) {
      if ((await changes.getByRole('link', { name: 'Study protocol' }).count()) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await home.reload();
    }
    const entry = changes.getByRole('listitem').filter({ hasText: 'Study protocol' });
    assert.match(await entry.innerText(), new RegExp(`in ${title}`));
    assert.match(await entry.innerText(), /Edited by Sam Staff, /);
    assert.ok(await entry.locator('time[datetime]').count(), 'a machine-readable time');
    await assertAxeClean(home, 'home with changes (en)');
    await screenshot(home, 'home-changes-en-desktop');
  });

  void test('a viewer sees the documents and no edit controls', async () => {
    const page = await signedInPage(app, viewer, `/spaces/${spaceId}`);
    await page.getByRole('link', { name: 'Study protocol' }).waitFor();
    assert.equal(await page.locator('main summary').count(), 0, 'no rename/move/trash disclosures');
    assert.equal(await page.getByRole('button', { name: 'Create the document' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Create the folder' }).count(), 0);
    assert.equal(await page.getByRole('link', { name: /Import a Markdown/ }).count(), 0);
    assert.match(await page.locator('main').innerText(), /Your role: Viewer/);

    await gotoHydrated(page, `/spaces/${spaceId}/members`);
    assert.equal(await page.getByRole('button', { name: /Remove|Change role/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Add the person' }).count(), 0);
    await gotoHydrated(page, `/spaces/${spaceId}/trash`);
    assert.equal(await page.getByRole('button', { name: /Restore/ }).count(), 0);
  });

  void test('someone outside the space gets the not-found page, also for its sub-pages', async () => {
    const page = await signedInPage(app, outsider, '/');
    assert.equal(await page.getByRole('link', { name: title }).count(), 0);
    for (const path of [`/spaces/${spaceId}`, `/spaces/${spaceId}/members`, `/spaces/${spaceId}/trash`]) {
      const response = await page.goto(path);
      assert.equal(response?.status(), 404, path);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'We cannot find this page');
    }
    // The form action refuses too: SvelteKit answers the action request with the failure's 404.
    const posted = await page.request.post(`/spaces/${spaceId}/settings?/leave`, {
      headers: { origin: app.baseUrl, accept: 'application/json' },
      form: {},
    });
    const answer = (await posted.json()) as { type?: string; status?: number };
    assert.deepEqual({ type: answer.type, status: answer.status }, { type: 'failure', status: 404 });
  });

  void test('home, /spaces and the space page pass axe in French', async () => {
    // Far from the server's time zone: dates must be shown in the reader's.
    const page = await signedInPage(app, member, '/', { locale: 'fr-FR', timezoneId: 'Pacific/Auckland' });
    assert.equal(await page.getByRole('heading', { level: 2, name: 'Vos espaces' }).count(), 1);
    const opened = page.getByRole('region', { name: 'Ouverts récemment' }).locator('time').first();
    const at = new Date((await opened.getAttribute('datetime')) ?? '');
    const inAuckland = new Intl.DateTimeFormat('fr', {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Pacific/Auckland',
    }).format(at);
    await page.getByText(`Ouvert le ${inAuckland}`).waitFor();
    await assertAxeClean(page, 'home (fr)');
    await screenshot(page, 'home-member-fr-desktop');
    await gotoHydrated(page, '/spaces');
    await assertAxeClean(page, '/spaces (fr)');
    await gotoHydrated(page, `/spaces/${spaceId}`);
    assert.match(await page.locator('main').innerText(), /Étude de recherche/);
    assert.match(await page.locator('main').innerText(), /France et Allemagne/);
    await assertAxeClean(page, 'space page (fr)');
    await screenshot(page, 'space-owner-fr-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertAxeClean(page, 'space page (fr, narrow)');
    await screenshot(page, 'space-owner-fr-mobile');
  });

  void test('an owner archives the space: it shows as archived and read-only; staff restore it', async () => {
    const owner = await signedInPage(app, staff, `/spaces/${spaceId}/settings`);
    await owner.getByRole('button', { name: `Archive “${title}”` }).click();
    assert.equal(await focusedStatus(owner), 'The space is archived.');

    const page = await signedInPage(app, member, `/spaces/${spaceId}`);
    assert.equal(await page.getByRole('heading', { name: 'This space is archived' }).count(), 1);
    assert.equal(await page.locator('main summary').count(), 0, 'no rename/move/trash');
    assert.equal(await page.getByRole('button', { name: 'Create the document' }).count(), 0);
    await gotoHydrated(page, `/spaces/${spaceId}/members`);
    assert.equal(await page.getByRole('button', { name: 'Add the person' }).count(), 0);
    await assertAxeClean(page, 'archived space members (en)');
    await gotoHydrated(page, `/spaces/${spaceId}/settings`);
    assert.equal(await page.getByRole('button', { name: /Archive/ }).count(), 0);
    assert.equal(await page.getByRole('button', { name: /Restore/ }).count(), 0, 'only staff restore');
    await gotoHydrated(page, '/spaces');
    assert.match(await page.getByRole('listitem').filter({ hasText: title }).innerText(), /Archived/);

    await owner.reload();
    await owner.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await owner.getByRole('button', { name: `Restore “${title}”` }).click();
    assert.equal(await focusedStatus(owner), 'The space is restored.');
    await gotoHydrated(page, `/spaces/${spaceId}`);
    assert.equal(await page.getByRole('heading', { name: 'This space is archived' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Create the document' }).count(), 1);
  });

  void test('affiliates get the news page at home, no Spaces link, and a 403 on /spaces', async () => {
    const affiliate = await createAccount(app, 'affiliate', 'Ada Affiliate');
    const page = await signedInPage(app, affiliate, '/');
    assert.equal(await page.getByRole('heading', { level: 2, name: 'News from the network' }).count(), 1);
    assert.equal(await page.getByRole('link', { name: 'Spaces', exact: true }).count(), 0);
    await assertAxeClean(page, 'affiliate home (en)');
    const response = await page.goto('/spaces');
    assert.equal(response?.status(), 403);
  });

  void test('leaving a space, after a confirmation, removes it from the home page', async () => {
    const page = await signedInPage(app, member, `/spaces/${spaceId}`);
    await page.getByRole('link', { name: 'Leave or archive' }).click();
    await page.waitForURL((url) => url.pathname === `/spaces/${spaceId}/settings`);
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    await assertAxeClean(page, 'settings (owner, en)');
    await page.getByRole('button', { name: `Leave “${title}”` }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { level: 2, name: 'Your spaces' }).waitFor();
    assert.equal(await page.getByRole('link', { name: title }).count(), 0);
    const response = await page.goto(`/spaces/${spaceId}`);
    assert.equal(response?.status(), 404);
  });
});
