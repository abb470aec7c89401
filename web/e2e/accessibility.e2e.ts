import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAccount, type TestAccount } from './harness/accounts';
import { axeViolations, describeViolations } from './harness/axe';
import { useApp } from './harness/fixture';
import { gotoHydrated } from './harness/navigation';
import { screenshot } from './harness/screenshots';

const app = useApp();

const LOCALES = [
  { lang: 'en', browserLocale: 'en-GB' },
  { lang: 'fr', browserLocale: 'fr-FR' },
] as const;

const PAGES = [
  { name: 'landing', path: '/' },
  { name: 'sign-in', path: '/sign-in' },
  { name: 'join', path: '/join' },
  { name: 'not-found', path: '/no-such-page' },
  { name: 'set-password', path: '/set-password/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
  { name: 'reset-password', path: '/reset-password/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
  { name: 'forgot-password', path: '/forgot-password' },
  { name: 'invitation-invalid', path: '/invitations/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' },
] as const;

/** Pages behind sign-in, with the role that opens them (the 403 page: a member on /admin). */
const SIGNED_IN_PAGES = [
  { name: 'home-member', path: '/', role: 'member' },
  { name: 'forbidden', path: '/admin', role: 'member' },
  { name: 'home-staff', path: '/', role: 'staff' },
  { name: 'admin', path: '/admin', role: 'staff' },
  { name: 'admin-outbox', path: '/admin/outbox', role: 'staff' },
  { name: 'admin-invitations', path: '/admin/invitations', role: 'staff' },
] as const;

const accounts = new Map<string, Promise<TestAccount>>();
/** One account per role for the whole file (created on first use). */
function accountFor(role: 'staff' | 'member'): Promise<TestAccount> {
  let account = accounts.get(role);
  if (account === undefined) {
    account = createAccount(app, role);
    accounts.set(role, account);
  }
  return account;
}

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'mobile', width: 390, height: 844 },
] as const;

void describe('accessibility (axe, WCAG 2.2 AA) and screenshots', () => {
  for (const { lang, browserLocale } of LOCALES) {
    for (const { name, path } of PAGES) {
      for (const viewport of VIEWPORTS) {
        void test(`${name} in ${lang} (${viewport.name}) has no violations`, async () => {
          // bypassCSP lets the test inject axe-core into pages served with a strict CSP.
          const context = await app.newContext({
            locale: browserLocale,
            viewport: { width: viewport.width, height: viewport.height },
            bypassCSP: true,
          });
          const page = await context.newPage();
          await gotoHydrated(page, path);
          assert.equal(await page.locator('html').getAttribute('lang'), lang);
          const violations = await axeViolations(page);
          await screenshot(page, `${name}-${lang}-${viewport.name}`);
          assert.equal(violations.length, 0, describeViolations(violations));
        });
      }
    }

    for (const { name, path, role } of SIGNED_IN_PAGES) {
      void test(`${name} in ${lang} has no violations`, async () => {
        const account = await accountFor(role);
        const context = await app.newContext({ locale: browserLocale, bypassCSP: true });
        const signedIn = await context.request.post('/api/v1/session', {
          data: { email: account.email, password: account.password },
        });
        assert.equal(signedIn.status(), 201);
        const page = await context.newPage();
        await gotoHydrated(page, path);
        assert.equal(await page.locator('html').getAttribute('lang'), lang);
        const violations = await axeViolations(page);
        await screenshot(page, `${name}-${lang}-desktop`);
        assert.equal(violations.length, 0, describeViolations(violations));
      });
    }

    void test(`sign-in with errors in ${lang} has no violations`, async () => {
      const context = await app.newContext({ locale: browserLocale, bypassCSP: true });
      const page = await context.newPage();
      await gotoHydrated(page, '/sign-in');
      await page.locator('input[name="email"]').fill('not-an-address');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('alert').waitFor();
      const violations = await axeViolations(page);
      await screenshot(page, `sign-in-errors-${lang}-desktop`);
      assert.equal(violations.length, 0, describeViolations(violations));
    });

    void test(`sign-in answered in ${lang} has no violations`, async () => {
      const context = await app.newContext({ locale: browserLocale, bypassCSP: true });
      const page = await context.newPage();
      await gotoHydrated(page, '/sign-in');
      await page.locator('input[name="email"]').fill('ana@example.org');
      await page.locator('input[name="password"]').fill('a long passphrase');
      await page.locator('button[type="submit"]').click();
      await page.getByRole('alert').waitFor();
      const violations = await axeViolations(page);
      await screenshot(page, `sign-in-answered-${lang}-desktop`);
      assert.equal(violations.length, 0, describeViolations(violations));
    });
  }
});
