/**
 * Channels in Chromium: two people chat live in a space's general channel, the unread badge of another
 * channel follows messages there, a thread reply shows in the side panel and the parent's reply count,
 * HTML in a message stays text, a message written offline is delivered once after reconnecting, and axe
 * finds no violations on the channel pages in English and French.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { io } from 'socket.io-client';
import { createAccount, type TestAccount } from './harness/accounts';
import { axeViolations, describeViolations } from './harness/axe';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';
import { screenshot } from './harness/screenshots';
import { signedInPage } from './harness/spaces';

const app = useApp();

async function api(path: string, init: { cookie?: string; json?: unknown; method?: string } = {}) {
  const headers = new Headers();
  if (init.cookie !== undefined) headers.set('cookie', init.cookie);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(`${app.baseUrl}/api/v1${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    redirect: 'manual',
  });
  const text = await response.text();
  assert.ok(response.ok, `${path}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

async function cookieOf(account: TestAccount): Promise<string> {
  const response = await fetch(`${app.baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: account.password }),
  });
  assert.equal(response.status, 201);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('cope_session='));
  assert.ok(cookie);
  return cookie.split(';')[0] ?? '';
}

/** The main conversation's messages, and the thread panel's. */
const mainLog = (page: Page) => page.getByRole('log').first();
const threadLog = (page: Page) => page.getByRole('log', { name: /^(Thread|Fil de discussion)$/ });

/** Waits until the conversation is joined and its first page is shown, with the socket connected. */
async function ready(page: Page): Promise<void> {
  await page.locator('#composer').waitFor();
  // A string expression keeps browser globals out of the Node type check.
  await page.waitForFunction(
    `!/Loading messages|Chargement des messages/.test(document.querySelector('[role="log"]')?.textContent ?? 'Loading messages')`,
  );
  await page.locator('[role="status"]', { hasText: /Connecting|Connexion/ }).waitFor({ state: 'detached' });
}

async function say(page: Page, text: string, composer = '#composer'): Promise<void> {
  await page.locator(composer).fill(text);
  await page.locator(composer).press('Enter');
}

let spaceId = '';
let ana: TestAccount;
let ben: TestAccount;

void describe('channels in the browser', () => {
  before(async () => {
    const staff = await createAccount(app, 'staff');
    ana = await createAccount(app, 'member', 'Ana Alvarez');
    ben = await createAccount(app, 'member', 'Ben Brennan');
    const staffCookie = await cookieOf(staff);
    const created = (await api('/spaces', {
      cookie: staffCookie,
      json: { title: 'Family ties study', kind: 'research-study', ownerEmail: ana.email },
    })) as { id: string };
    spaceId = created.id;
    const anaCookie = await cookieOf(ana);
    await api(`/spaces/${spaceId}/members`, {
      cookie: anaCookie,
      json: { email: ben.email, role: 'editor' },
    });
  });

  void test('two people chat live; badges, threads, HTML as text, offline sends; axe clean', async () => {
    const anaPage = await signedInPage(app, ana, `/spaces/${spaceId}`);
    await gotoHydrated(anaPage, `/spaces/${spaceId}/channels`);
    await anaPage.waitForURL(/\/channels\/[0-9a-f]{24}$/);
    const generalUrl = new URL(anaPage.url()).pathname;

    // Ana creates a second channel through the form, then comes back to general.
    await anaPage.getByText('New channel', { exact: true }).click();
    await anaPage.locator('#channel-name').fill('funding-calls');
    await anaPage.locator('#channel-topic').fill('Calls for proposals worth a look');
    await anaPage.getByRole('button', { name: 'Create the channel' }).click();
    await anaPage.getByRole('heading', { name: '#funding-calls' }).waitFor();
    const fundingUrl = new URL(anaPage.url()).pathname;
    assert.notEqual(fundingUrl, generalUrl);
    const fundingId = fundingUrl.split('/').at(-1) ?? '';
    await gotoHydrated(anaPage, generalUrl);
    await ready(anaPage);

    const benPage = await signedInPage(app, ben, `/spaces/${spaceId}`);
    await gotoHydrated(benPage, generalUrl);
    await ready(benPage);

    // Live, both ways.
    await say(anaPage, 'Hello Ben, **welcome** to the study!');
    await mainLog(benPage).getByText('welcome').waitFor();
    assert.equal(await mainLog(benPage).locator('strong', { hasText: 'welcome' }).count(), 1);
    await say(benPage, 'Thanks Ana, glad to be here.');
    await mainLog(anaPage).getByText('glad to be here').waitFor();
    await benPage.getByText('2 online').waitFor();

    // @mentions: a keyboard-operated list of the space's people; the mention shows as a name.
    await benPage.locator('#composer').pressSequentially('Over to you @An');
    await benPage.getByRole('option', { name: /Ana Alvarez/ }).waitFor();
    assert.equal(await benPage.locator('#composer').getAttribute('aria-expanded'), 'true');
    await benPage.locator('#composer').press('Enter');
    assert.match(
      await benPage.locator('#composer').inputValue(),
      /^Over to you @\[Ana Alvarez\]\(person:[0-9a-f]{24}\) $/,
    );
    await benPage.locator('#composer').press('Enter');
    await mainLog(anaPage).locator('article .mention', { hasText: '@Ana Alvarez' }).waitFor();

    // Typing shows on the other side, in a polite live region.
    await anaPage.locator('#composer').pressSequentially('Let me think');
    await benPage.locator('[aria-live="polite"]', { hasText: 'Ana Alvarez is typing…' }).waitFor();
    // Her message arriving ends it at once, not when the indicator would time out (5 s).
    await anaPage.locator('#composer').pressSequentially(', then answer.');
    await anaPage.locator('#composer').press('Enter');
    await mainLog(benPage).getByText('Let me think, then answer.').waitFor();
    assert.equal(await benPage.locator('p.typing').innerText(), '');

    // The other channel's badge follows messages there.
    await gotoHydrated(anaPage, fundingUrl);
    await ready(anaPage);
    const badge = benPage.locator(`a[data-channel-id="${fundingId}"] .badge`);
    await say(anaPage, 'The spring call is open.');
    await badge.and(benPage.locator('[data-unread="1"]')).waitFor();
    await say(anaPage, 'Deadline in May.');
    await badge.and(benPage.locator('[data-unread="2"]')).waitFor();

    // Reading the channel in another tab clears the badge in this one (read positions are per person).
    const benSecondTab = await benPage.context().newPage();
    await gotoHydrated(benSecondTab, fundingUrl);
    await ready(benSecondTab);
    await mainLog(benSecondTab).locator('.divider').waitFor();
    await badge.waitFor({ state: 'detached' });
    await benSecondTab.close();
    await gotoHydrated(anaPage, generalUrl);
    await ready(anaPage);

    // A thread: Ben replies to Ana's message in the side panel; Ana sees the reply count.
    const anaMessage = mainLog(benPage).locator('article', { hasText: 'welcome' });
    await anaMessage.hover();
    await anaMessage.getByRole('button', { name: 'Reply in thread' }).click();
    await threadLog(benPage).waitFor();
    // The panel's heading takes the focus as soon as the panel shows (announced by screen readers).
    await benPage.locator('#thread-heading:focus').waitFor();
    await say(benPage, 'A reply in the thread', '#thread-composer');
    await threadLog(benPage).getByText('A reply in the thread').waitFor();
    await mainLog(anaPage).getByRole('button', { name: '1 reply' }).waitFor();
    assert.equal(await mainLog(anaPage).getByText('A reply in the thread').count(), 0);
    // A message's action bar shows above it, not over its words (in the narrow panel the bar takes two lines).
    const reply = threadLog(benPage).locator('.messages article', { hasText: 'A reply in the thread' });
    await reply.hover();
    await reply.locator('.actions').getByRole('button', { name: 'Delete' }).waitFor();
    const bar = await reply.locator('.actions').boundingBox();
    const words = await reply.locator('.body').boundingBox();
    assert.ok(bar && words, 'the bar and the words are on the page');
    assert.ok(bar.y + bar.height <= words.y, `bar ends at ${bar.y + bar.height}, words start at ${words.y}`);
    await screenshot(benPage, 'channels-thread-en');

    // Edits are marked, deletions leave a tombstone, on both sides.
    await say(anaPage, 'A typo in this mesage');
    const typo = mainLog(anaPage).locator('article', { hasText: 'A typo in this mesage' });
    await mainLog(benPage).getByText('A typo in this mesage').waitFor();
    await typo.hover();
    await typo.getByRole('button', { name: 'Edit' }).click();
    await anaPage.getByLabel('Edit your message').fill('A typo in this message, fixed');
    await anaPage.getByLabel('Edit your message').press('Enter');
    const fixed = mainLog(benPage).locator('article', { hasText: 'A typo in this message, fixed' });
    await fixed.getByText('(edited)').waitFor();
    anaPage.once('dialog', (dialog) => void dialog.accept());
    const fixedHere = mainLog(anaPage).locator('article', { hasText: 'A typo in this message, fixed' });
    await fixedHere.hover();
    await fixedHere.getByRole('button', { name: 'Delete' }).click();
    await mainLog(benPage).getByText('This message was deleted.').waitFor();
    assert.equal(await mainLog(benPage).getByText('A typo in this message').count(), 0);

    // HTML stays text: nothing runs, no element is made.
    const hostile = '<script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> done';
    await say(anaPage, hostile);
    await mainLog(benPage).getByText('<img src=x onerror', { exact: false }).waitFor();
    assert.equal(await mainLog(benPage).locator('article img, article script').count(), 0);
    assert.equal(await benPage.evaluate('typeof window.__xss'), 'undefined');
    assert.equal(await anaPage.evaluate('typeof window.__xss'), 'undefined');

    // Offline: the message waits as "sending", then goes out once when the connection is back.
    await benPage.context().setOffline(true);
    await benPage.locator('[role="status"]', { hasText: 'You are offline' }).waitFor();
    await say(benPage, 'Written on the train');
    await mainLog(benPage).locator('li.pending', { hasText: 'Written on the train' }).waitFor();
    await mainLog(benPage).getByText('Sending…').waitFor();
    await benPage.context().setOffline(false);
    await mainLog(anaPage).getByText('Written on the train').waitFor();
    await say(benPage, 'And back home');
    await mainLog(anaPage).getByText('And back home').waitFor();
    await mainLog(benPage).locator('article', { hasText: 'And back home' }).waitFor();
    assert.equal(await mainLog(anaPage).locator('article', { hasText: 'Written on the train' }).count(), 1);
    assert.equal(await mainLog(benPage).locator('article', { hasText: 'Written on the train' }).count(), 1);
    assert.equal(await mainLog(benPage).locator('li.pending').count(), 0);

    await screenshot(anaPage, 'channels-space-en');
    const violations = await axeViolations(anaPage);
    assert.deepEqual(violations, [], describeViolations(violations));
  });

  void test('older messages load in pages going back', async () => {
    // 40 messages straight over socket.io (the contract the pages use), waiting out the rate limit.
    const cookie = await cookieOf(ana);
    const socket = io(app.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { origin: app.baseUrl, cookie },
      reconnection: false,
    });
    try {
      const channelsAck = (await socket.timeout(10_000).emitWithAck('channels:list', { spaceId })) as {
        ok: boolean;
        channels: { id: string; name: string }[];
      };
      const general = channelsAck.channels.find((c) => c.name === 'general');
      assert.ok(general);
      for (let i = 1; i <= 40; i++) {
        for (;;) {
          const ack = (await socket.timeout(10_000).emitWithAck('message:send', {
            channelId: general.id,
            clientId: `seed-message-${i}-${process.pid}`,
            body: `Seed number ${i}`,
          })) as { ok: boolean; error?: { code: string; retryAfterMs?: number } };
          if (ack.ok) break;
          assert.equal(ack.error?.code, 'rate_limited');
          await new Promise((resolve) => setTimeout(resolve, ack.error?.retryAfterMs ?? 500));
        }
      }
      const page = await signedInPage(app, ana, `/spaces/${spaceId}`);
      await gotoHydrated(page, `/spaces/${spaceId}/channels/${general.id}`);
      await ready(page);
      await mainLog(page).getByText('Seed number 40', { exact: true }).waitFor();
      assert.equal(await mainLog(page).getByText('Seed number 1', { exact: true }).count(), 0);
      await page.getByRole('button', { name: 'Older messages' }).click();
      await mainLog(page).getByText('Seed number 1', { exact: true }).waitFor();
    } finally {
      socket.disconnect();
    }
  });

  void test('the network channels and a direct conversation, in French, are axe clean', async () => {
    const page = await signedInPage(app, ben, '/', { locale: 'fr-FR' });
    await gotoHydrated(page, '/channels');
    await page.waitForURL(/\/channels\/[0-9a-f]{24}$/);
    await ready(page);
    await page.locator('#channel-heading', { hasText: 'Réseau' }).waitFor();
    await say(page, 'Bonjour à tout le réseau !');
    await mainLog(page).locator('article', { hasText: 'Bonjour à tout le réseau' }).waitFor();

    // A direct conversation with Ana.
    await page.getByText('Nouvelle conversation', { exact: true }).click();
    await page.getByLabel('Ana Alvarez').check();
    await page.getByRole('button', { name: 'Commencer la conversation' }).click();
    await page.locator('#channel-heading', { hasText: 'Conversation avec Ana Alvarez' }).waitFor();
    await ready(page);
    await say(page, 'Un mot en privé');
    await mainLog(page).locator('article', { hasText: 'Un mot en privé' }).waitFor();

    await screenshot(page, 'channels-direct-fr');
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));

    // Search finds the message in the channels one may read.
    await gotoHydrated(page, '/channels/search?q=privé');
    await page.locator('main li', { hasText: 'Un mot en privé' }).waitFor();
    const searchViolations = await axeViolations(page);
    assert.deepEqual(searchViolations, [], describeViolations(searchViolations));
  });
});
