/**
 * The document page in Chromium against the real server: two people editing together (text and named
 * carets), a viewer who cannot type, offline edits kept and merged, versions named, viewed and restored
 * live, Markdown export and import, and axe in English and French.
 *
 * The space, its members and the document are set up with the space services on the server's own
 * database (the test process connects to the embedded database the server runs, as the CLI does).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectDb, createLogger, models, type DbHandle } from '@cope/db';
import * as spaces from '@cope/db';
import type { Actor, SpaceRole } from '@cope/domain';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { createAccount, type TestAccount } from './harness/accounts';
import { axeViolations, describeViolations } from './harness/axe';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';
import { screenshot } from './harness/screenshots';

const app = useApp();
let db: DbHandle | undefined;

interface Cast {
  staff: TestAccount;
  alice: TestAccount;
  bruno: TestAccount;
  vera: TestAccount;
  spaceId: string;
}
let cast: Cast | undefined;

function conn() {
  if (!db) throw new Error('no database');
  return db.connection;
}

async function actorOf(account: TestAccount): Promise<Actor> {
  const user = await models(conn()).User.findOne({ email: account.email }).lean();
  if (!user) throw new Error(`no user ${account.email}`);
  return { userId: user._id.toHexString(), networkRole: account.role, disabled: false };
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`refused: ${result.error}`);
  return result.value;
}

async function newDocument(title: string): Promise<string> {
  if (!cast) throw new Error('no cast');
  const created = await spaces.createDocument(conn(), await actorOf(cast.alice), {
    spaceId: cast.spaceId,
    title,
    template: 'blank',
  });
  return unwrap(created).id;
}

async function signedIn(
  account: TestAccount,
  options: BrowserContextOptions = { locale: 'en-GB' },
): Promise<Page> {
  const context = await app.newContext(options);
  const page = await context.newPage();
  await gotoHydrated(page, '/sign-in');
  await page.locator('input[name="email"]').fill(account.email);
  await page.locator('input[name="password"]').fill(account.password);
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

const docPath = (documentId: string) => `/spaces/${cast?.spaceId ?? ''}/documents/${documentId}`;

/** Opens the document page and waits for the live editor to be connected and showing the document. */
async function openDocument(page: Page, documentId: string): Promise<void> {
  await gotoHydrated(page, docPath(documentId));
  await page.locator('[data-document-editor][data-ready] .ProseMirror').waitFor();
  await page.locator('.save-status[data-state="saved"], .save-status[data-state="connecting"]').waitFor();
}

const text = (page: Page) => page.locator('[data-document-editor] .ProseMirror');

/** The document's text without the other people's caret labels. */
async function documentText(page: Page): Promise<string> {
  return page.evaluate<string>(`(() => {
    const copy = document.querySelector('[data-document-editor] .ProseMirror').cloneNode(true);
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return copy.textContent;
  })()`);
}

async function typeAtEnd(page: Page, words: string): Promise<void> {
  await text(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(words);
}

async function waitForText(page: Page, expected: string, present = true): Promise<void> {
  const match = page.locator('[data-document-editor] .ProseMirror', { hasText: expected });
  await match.waitFor({ state: present ? 'attached' : 'detached' });
}

void describe('the document page', () => {
  before(async () => {
    db = await connectDb({ dataDir: app.dataDir, logger: createLogger('editor-e2e') });
    const [staff, alice, bruno, vera] = await Promise.all([
      createAccount(app, 'staff', 'Sam Staff'),
      createAccount(app, 'member', 'Alice Martin'),
      createAccount(app, 'member', 'Bruno Keller'),
      createAccount(app, 'member', 'Vera Novak'),
    ]);
    const staffActor = await actorOf(staff);
    const space = unwrap(
      await spaces.createSpace(conn(), staffActor, {
        title: 'Study on prison visits',
        kind: 'research-study',
        ownerEmail: alice.email,
      }),
    );
    const roles: [TestAccount, SpaceRole][] = [
      [bruno, 'editor'],
      [vera, 'viewer'],
    ];
    for (const [account, role] of roles) {
      unwrap(await spaces.addMember(conn(), staffActor, space.id, { email: account.email, role }));
    }
    cast = { staff, alice, bruno, vera, spaceId: space.id };
  });

  after(async () => {
    await db?.close();
  });

  void test('two people type in the same document and see each other’s text and caret', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Shared protocol');
    const alice = await signedIn(cast.alice);
    const bruno = await signedIn(cast.bruno);
    await openDocument(alice, documentId);
    await openDocument(bruno, documentId);

    await typeAtEnd(alice, 'Alice writes the background. ');
    await waitForText(bruno, 'Alice writes the background.');
    await typeAtEnd(bruno, 'Bruno adds the methods.');
    await waitForText(alice, 'Bruno adds the methods.');

    // Each sees the other's caret, labelled with their name, and their avatar.
    await alice.locator('.collaboration-carets__label', { hasText: 'Bruno Keller' }).waitFor();
    await typeAtEnd(alice, ' More.');
    await bruno.locator('.collaboration-carets__label', { hasText: 'Alice Martin' }).waitFor();
    await alice.locator('.presence [data-person="Bruno Keller"]').waitFor();
    await waitForText(bruno, 'methods. More.');
    assert.equal(await documentText(alice), await documentText(bruno));
    assert.equal(await documentText(alice), 'Alice writes the background. Bruno adds the methods. More.');
    await alice.locator('.save-status[data-state="saved"]').waitFor();
    await screenshot(alice, 'editor-two-people');
  });

  void test('the toolbar works from the keyboard: Alt+F10 reaches it, arrows move, Escape goes back', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Keyboard only');
    const alice = await signedIn(cast.alice);
    await openDocument(alice, documentId);
    await typeAtEnd(alice, 'plain ');
    await alice.keyboard.press('Alt+F10');
    assert.equal(await alice.evaluate<string>('document.activeElement.dataset.tool'), 'undo');
    // One tab stop: arrows move between the buttons (here to Bold, after undo, redo, ¶ and three headings).
    for (let i = 0; i < 6; i++) await alice.keyboard.press('ArrowRight');
    assert.equal(await alice.evaluate<string>('document.activeElement.dataset.tool'), 'bold');
    await alice.keyboard.press('Enter');
    assert.equal(await alice.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed'), 'true');
    // The command gives the focus back to the text (on the next frame), so typing goes on in bold.
    await alice.waitForFunction(`document.activeElement?.classList.contains('ProseMirror')`);
    await alice.keyboard.type('strong words');
    await alice.locator('.ProseMirror strong', { hasText: 'strong words' }).waitFor();
    await alice.keyboard.press('Alt+F10');
    await alice.waitForFunction(`document.activeElement?.closest('[role="toolbar"]') != null`);
    await alice.keyboard.press('Escape');
    // Fails by timing out if the focus never comes back to the text.
    await alice.waitForFunction(`document.activeElement?.classList.contains('ProseMirror')`);
    await alice.keyboard.type(' more');
    await alice.locator('.ProseMirror', { hasText: 'strong words more' }).waitFor();
  });

  void test('a viewer gets a read-only editor and a note saying so', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Read only for viewers');
    const alice = await signedIn(cast.alice);
    await openDocument(alice, documentId);
    await typeAtEnd(alice, 'Only editors change this.');
    await alice.locator('.save-status[data-state="saved"]').waitFor();

    const vera = await signedIn(cast.vera);
    await openDocument(vera, documentId);
    await waitForText(vera, 'Only editors change this.');
    assert.match(
      await vera.locator('[data-read-only]').innerText(),
      /can read this document but not change it/,
    );
    assert.equal(await text(vera).getAttribute('contenteditable'), 'false');
    assert.equal(await vera.getByRole('toolbar').count(), 0);
    await text(vera).click();
    await vera.keyboard.type('Vera was here');
    await vera.waitForTimeout(300);
    assert.doesNotMatch((await text(vera).textContent()) ?? '', /Vera was here/);
    assert.doesNotMatch((await text(alice).textContent()) ?? '', /Vera was here/);
  });

  void test('edits made offline are kept and merged when the connection returns', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Written on a train');
    const alice = await signedIn(cast.alice);
    const bruno = await signedIn(cast.bruno);
    await openDocument(alice, documentId);
    await openDocument(bruno, documentId);
    await typeAtEnd(alice, 'Online first.');
    await waitForText(bruno, 'Online first.');

    // Record every status the line shows, so a short "Saving…" is not missed.
    await alice.evaluate(`(() => {
      const line = document.querySelector('.save-status');
      const seen = [];
      window.statusSeen = seen;
      new MutationObserver(() => {
        const state = line.getAttribute('data-state');
        if (seen[seen.length - 1] !== state) seen.push(state);
      }).observe(line, { attributes: true, attributeFilter: ['data-state'] });
    })()`);
    await alice.context().setOffline(true);
    await alice.locator('.save-status[data-state="offline"]').waitFor();
    assert.match(
      await alice.locator('.save-status').innerText(),
      /Offline: your changes are kept on this device/,
    );
    await typeAtEnd(alice, ' Typed offline.');
    await bruno.waitForTimeout(300);
    assert.doesNotMatch((await text(bruno).textContent()) ?? '', /Typed offline/);

    // Leaving now would lose nothing on this device, but the server has not stored it: the browser asks.
    const asked = new Promise<string>((resolve) => {
      alice.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await alice.close({ runBeforeUnload: true });
    assert.equal(await asked, 'beforeunload');
    assert.equal(alice.isClosed(), false);

    await alice.context().setOffline(false);
    await waitForText(bruno, 'Typed offline.');
    await alice.locator('.save-status[data-state="saved"]').waitFor();
    const seen = await alice.evaluate<string[]>('window.statusSeen');
    const offline = seen.indexOf('offline');
    assert.ok(offline >= 0, `statuses: ${seen.join(', ')}`);
    assert.deepEqual(
      seen.slice(offline).filter((s) => s !== 'connecting'),
      ['offline', 'saving', 'saved'],
      `statuses: ${seen.join(', ')}`,
    );
    // And the stored document has it: a fresh page load shows it.
    const again = await signedIn(cast.bruno);
    await openDocument(again, documentId);
    await waitForText(again, 'Online first. Typed offline.');
  });

  void test('a named version is restored and the other person sees the old text live', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Versioned plan');
    const alice = await signedIn(cast.alice);
    const bruno = await signedIn(cast.bruno);
    await openDocument(alice, documentId);
    await openDocument(bruno, documentId);
    await typeAtEnd(alice, 'The agreed wording.');
    await alice.locator('.save-status[data-state="saved"]').waitFor();

    await alice.getByLabel('Name the current version').fill('Agreed with partners');
    await alice.getByRole('button', { name: 'Save this version' }).click();
    await alice.getByText('The version “Agreed with partners” was saved.').waitFor();
    const entry = alice.locator('.version', { hasText: 'Agreed with partners' });
    await entry.waitFor();

    await typeAtEnd(bruno, ' A rewrite nobody agreed to.');
    await waitForText(alice, 'A rewrite nobody agreed to.');
    await bruno.locator('.save-status[data-state="saved"]').waitFor();

    await entry.locator('button').click();
    const viewer = alice.locator('[data-version-viewer] .ProseMirror');
    await viewer.waitFor();
    assert.equal(await viewer.getAttribute('contenteditable'), 'false');
    assert.equal((await viewer.textContent())?.trim(), 'The agreed wording.');
    await screenshot(alice, 'editor-version-viewer');
    await alice.getByRole('button', { name: 'Restore this version' }).click();
    await alice.locator('[data-version-viewer]').waitFor({ state: 'detached' });

    await waitForText(bruno, 'A rewrite nobody agreed to.', false);
    await waitForText(bruno, 'The agreed wording.');
    await waitForText(alice, 'A rewrite nobody agreed to.', false);
  });

  void test('export as Markdown, HTML and DOCX, and import a Markdown file as a new document', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Exported notes');
    const alice = await signedIn(cast.alice);
    await openDocument(alice, documentId);
    await text(alice).click();
    await alice.keyboard.type('# Findings');
    await alice.keyboard.press('Enter');
    await alice.keyboard.type('Visits matter <b>a lot</b>.');
    await alice.locator('.save-status[data-state="saved"]').waitFor();

    const md = await alice.request.get(`/api/v1/documents/${documentId}/export?format=md`);
    assert.equal(md.status(), 200);
    assert.match(md.headers()['content-disposition'] ?? '', /filename="Exported notes\.md"/);
    const markdown = await md.text();
    assert.equal(markdown, '# Findings\n\nVisits matter \\<b\\>a lot\\</b\\>.\n');
    const html = await (await alice.request.get(`/api/v1/documents/${documentId}/export?format=html`)).text();
    assert.match(html, /Visits matter &lt;b&gt;a lot&lt;\/b&gt;\./);
    const docx = await alice.request.get(`/api/v1/documents/${documentId}/export?format=docx`);
    assert.equal(docx.status(), 200);
    assert.deepEqual([...(await docx.body()).subarray(0, 2)], [0x50, 0x4b]);
    assert.equal(
      (await alice.request.get(`/api/v1/documents/${documentId}/export?format=pdf`)).status(),
      422,
    );

    // The exported Word file imports back through the API as a new document with the same text.
    const imported = await alice.request.post(`/api/v1/spaces/${cast.spaceId}/documents/import`, {
      // SvelteKit refuses a multipart POST whose Origin is not the app's (its CSRF check).
      headers: { origin: app.baseUrl },
      multipart: {
        file: {
          name: 'Exported notes.docx',
          mimeType: 'application/octet-stream',
          buffer: await docx.body(),
        },
      },
    });
    assert.equal(imported.status(), 201);
    const { id: importedId } = (await imported.json()) as { id: string };
    const back = await (await alice.request.get(`/api/v1/documents/${importedId}/export?format=md`)).text();
    assert.match(back, /# Exported notes\n\n# Findings\n\nVisits matter/);
    const refused = await alice.request.post(`/api/v1/spaces/${cast.spaceId}/documents/import`, {
      // SvelteKit refuses a multipart POST whose Origin is not the app's (its CSRF check).
      headers: { origin: app.baseUrl },
      multipart: {
        file: { name: 'notes.docx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a zip') },
      },
    });
    assert.equal(refused.status(), 422);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'invalid_content');

    const openapi = (await (await alice.request.get('/api/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    assert.ok('/documents/{id}/export' in openapi.paths);
    assert.ok('/spaces/{id}/documents/import' in openapi.paths);

    // Someone outside the space learns nothing about the document.
    const outsider = await signedIn(cast.staff);
    assert.equal(
      (await outsider.request.get(`/api/v1/documents/${documentId}/export?format=md`)).status(),
      404,
    );
    assert.equal((await outsider.goto(docPath(documentId)))?.status(), 404);

    await gotoHydrated(alice, `/spaces/${cast.spaceId}/documents/import`);
    await alice.getByLabel('File to import').setInputFiles({
      name: 'Interview guide.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Interview guide\n\n- [ ] consent form\n- [x] translator booked\n'),
    });
    await alice.getByRole('button', { name: 'Import', exact: true }).click();
    await alice.waitForURL((url) => /\/documents\/[0-9a-f]{24}$/.test(url.pathname));
    await alice.locator('[data-document-editor][data-ready] .ProseMirror').waitFor();
    assert.equal(await alice.locator('.doc-header h1').innerText(), 'Interview guide');
    await waitForText(alice, 'translator booked');
    assert.equal(await alice.locator('.ProseMirror ul[data-type="taskList"] li').count(), 2);

    // A binary file named .md is refused with a clear message.
    await gotoHydrated(alice, `/spaces/${cast.spaceId}/documents/import`);
    await alice.getByLabel('File to import').setInputFiles({
      name: 'photo.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]),
    });
    await alice.getByRole('button', { name: 'Import', exact: true }).click();
    await alice.getByRole('alert').waitFor();
    assert.match(await alice.getByRole('alert').innerText(), /could not be read/);
  });

  void test('the version history shows the newest 50 and appends older ones from the keyboard', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Long-lived protocol');
    const empty = await spaces.loadDocumentState(conn(), documentId);
    // 53 automatic versions, a year old and older, two of them in each millisecond.
    const yearAgo = Date.now() - 365 * 24 * 3600 * 1000;
    for (let i = 0; i < 53; i++) {
      await spaces.createVersion(conn(), {
        documentId,
        kind: 'auto',
        state: empty,
        editors: [],
        createdBy: null,
        at: new Date(yearAgo - Math.floor(i / 2) * 60_000),
      });
    }
    const vera = await signedIn(cast.vera, { locale: 'en-GB', bypassCSP: true });
    await openDocument(vera, documentId);
    const versions = vera.locator('.versions .version');
    assert.equal(await versions.count(), 50);
    const older = vera.getByRole('button', { name: 'Older versions' });
    await older.focus();
    await vera.keyboard.press('Enter');
    await older.waitFor({ state: 'detached' });
    assert.equal(await versions.count(), 53);
    const ids = await vera.evaluate<(string | null)[]>(
      `[...document.querySelectorAll('.versions .version')].map((item) => item.getAttribute('data-version'))`,
    );
    assert.equal(new Set(ids).size, 53);
    // Focus moved to the first version just shown.
    const focused = await vera.evaluate<string | null>(
      `document.activeElement?.getAttribute('data-open-version') ?? null`,
    );
    assert.equal(focused, ids[50]);
    const violations = await axeViolations(vera);
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  void test('axe finds no violations on the document page in English and French', async () => {
    assert.ok(cast);
    const documentId = await newDocument('Accessible document');
    for (const locale of ['en-GB', 'fr-FR']) {
      // bypassCSP lets the test inject axe-core into pages served with a strict CSP.
      const alice = await signedIn(cast.alice, { locale, bypassCSP: true });
      await openDocument(alice, documentId);
      await typeAtEnd(alice, `Text in ${locale}. `);
      await alice.locator('.save-status[data-state="saved"]').waitFor();
      await alice.getByLabel(/Name the current version|Nommer la version actuelle/).fill(`Draft ${locale}`);
      await alice.getByRole('button', { name: /Save this version|Enregistrer cette version/ }).click();
      await alice.locator('.version', { hasText: `Draft ${locale}` }).waitFor();
      const violations = await axeViolations(alice);
      assert.deepEqual(violations, [], describeViolations(violations));
      await screenshot(alice, `editor-document-${locale}`);

      const vera = await signedIn(cast.vera, { locale, bypassCSP: true });
      await openDocument(vera, documentId);
      const readOnly = await axeViolations(vera);
      assert.deepEqual(readOnly, [], describeViolations(readOnly));
      await screenshot(vera, `editor-read-only-${locale}`);

      await gotoHydrated(alice, `/spaces/${cast.spaceId}/documents/import`);
      const importPage = await axeViolations(alice);
      assert.deepEqual(importPage, [], describeViolations(importPage));
    }
  });
});
