import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createAccount } from './harness/accounts';
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

/** A minimal valid PDF: header, catalog, an empty page tree, trailer. */
function pdf(label: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${label}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
}

void describe('joining the network', () => {
  for (const { lang, browserLocale } of [
    { lang: 'en', browserLocale: 'en-GB' },
    { lang: 'fr', browserLocale: 'fr-FR' },
  ] as const) {
    void test(`the join form and a refused submission are accessible (${lang})`, async () => {
      const page = await (await app.newContext({ locale: browserLocale, bypassCSP: true })).newPage();
      await gotoHydrated(page, '/join');
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      const violations = await axeViolations(page);
      await screenshot(page, `join-form-${lang}-desktop`);
      assert.equal(violations.length, 0, describeViolations(violations));

      // Nothing filled in: the summary takes focus and every field says what is wrong.
      await page.locator('form button[type="submit"]').click();
      await page.locator('[role="alert"]:focus').waitFor();
      assert.ok((await page.locator('[role="alert"] li').count()) >= 10);
      assert.equal(await page.locator('#report1').getAttribute('aria-invalid'), 'true');
      const errorViolations = await axeViolations(page);
      assert.equal(errorViolations.length, 0, describeViolations(errorViolations));
    });
  }

  void test('an organisation applies with two PDFs; staff read, download and approve; the contact is mailed and invited', async () => {
    const contact = `contact-${process.pid}@example.org`;
    const page = await (await app.newContext({ locale: 'en-GB', bypassCSP: true })).newPage();
    await gotoHydrated(page, '/join');
    await page.getByLabel('Name of the organisation').fill('Families Together');
    await page.getByLabel('Country', { exact: true }).selectOption('IE');
    await page.getByLabel('Legal status', { exact: true }).fill('Registered charity');
    await page.getByLabel('Website (optional)').fill('https://families.example.org');
    await page.getByLabel('Statement of motivation').fill('We support children with a parent in prison.');
    await page.getByLabel('Name', { exact: true }).fill('Aoife Byrne');
    await page.getByLabel('Email address', { exact: true }).fill(contact);
    await page.getByLabel('Preferred language').selectOption('en');
    await page.getByLabel('Name of a person or organisation that knows your work').fill('Prison Link');
    await page.getByLabel('Their email address or phone number').fill('info@prisonlink.example.org');
    await page.getByLabel('Annual report (most recent)').setInputFiles({
      name: 'report-2025.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('2025'),
    });
    await page.getByLabel('Annual report (previous year)').setInputFiles({
      name: 'report-2024.pdf',
      mimeType: 'application/pdf',
      buffer: pdf('2024'),
    });
    await page.getByRole('button', { name: 'Send the application' }).click();
    await page.waitForURL((url) => url.pathname === '/join/received');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Thank you: your application has been received',
    );
    const confirmation = await axeViolations(page);
    await screenshot(page, 'join-received-en-desktop');
    assert.equal(confirmation.length, 0, describeViolations(confirmation));

    const received = await (smtp as SmtpSink).nextMessageTo(contact);
    assert.match(received.subject ?? '', /Families Together/);

    // Staff sign in, open the queue and the application, download a report, approve.
    const staff = await createAccount(app, 'staff', 'Sam Staff');
    const staffContext = await app.newContext({ locale: 'en-GB', bypassCSP: true, acceptDownloads: true });
    const staffPage = await staffContext.newPage();
    await gotoHydrated(staffPage, '/sign-in?next=/admin/applications');
    await staffPage.getByLabel('Email address').fill(staff.email);
    await staffPage.getByLabel('Password').fill(staff.password);
    await staffPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await staffPage.waitForURL((url) => url.pathname === '/admin/applications');
    await staffPage.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const queueViolations = await axeViolations(staffPage);
    await screenshot(staffPage, 'admin-applications-en-desktop');
    assert.equal(queueViolations.length, 0, describeViolations(queueViolations));
    const row = staffPage.getByRole('row').filter({ hasText: 'Families Together' });
    assert.match(await row.innerText(), /Pending/);
    await row.getByRole('link', { name: 'Families Together' }).click();
    await staffPage.waitForURL((url) => url.pathname.startsWith('/admin/applications/'));
    await staffPage.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    const applicationPath = new URL(staffPage.url()).pathname;
    const id = applicationPath.split('/').pop() ?? '';
    const applicationViolations = await axeViolations(staffPage);
    await screenshot(staffPage, 'admin-application-en-desktop');
    assert.equal(applicationViolations.length, 0, describeViolations(applicationViolations));
    assert.ok(await staffPage.getByText('Registered charity').isVisible());

    const [download] = await Promise.all([
      staffPage.waitForEvent('download'),
      staffPage.getByRole('link', { name: /Download report-2025\.pdf/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'report-2025.pdf');
    const report = await staffContext.request.get(`/api/v1/applications/${id}/reports/0`);
    assert.equal(report.status(), 200);
    assert.equal(report.headers()['content-type'], 'application/pdf');
    assert.match(report.headers()['content-disposition'] ?? '', /^attachment; filename="report-2025.pdf"/);
    assert.equal(report.headers()['x-content-type-options'], 'nosniff');
    assert.deepEqual(await report.body(), pdf('2025'));

    // A visitor may neither read nor download; a member neither.
    const visitor = await app.newContext();
    assert.equal((await visitor.request.get(`/api/v1/applications/${id}/reports/0`)).status(), 401);
    const member = await createAccount(app, 'member');
    const memberContext = await app.newContext();
    await memberContext.request.post('/api/v1/session', {
      data: { email: member.email, password: member.password },
    });
    assert.equal((await memberContext.request.get(`/api/v1/applications/${id}`)).status(), 403);

    // The pages in French, before the decision.
    const frContext = await app.newContext({ locale: 'fr-FR', bypassCSP: true });
    await frContext.request.post('/api/v1/session', {
      data: { email: staff.email, password: staff.password },
    });
    const frPage = await frContext.newPage();
    for (const [path, name] of [
      ['/admin/applications', 'admin-applications-fr-desktop'],
      [applicationPath, 'admin-application-fr-desktop'],
    ] as const) {
      await gotoHydrated(frPage, path);
      assert.equal(await frPage.locator('html').getAttribute('lang'), 'fr');
      const v = await axeViolations(frPage);
      await screenshot(frPage, name);
      assert.equal(v.length, 0, describeViolations(v));
    }

    await staffPage
      .getByRole('button', { name: 'Approve as applicant organisation (term starts today)' })
      .click();
    await staffPage.locator('[role="status"]:focus').waitFor();
    assert.match(await staffPage.locator('main, body').first().innerText(), /Approved/);
    const mails = [
      await (smtp as SmtpSink).nextMessageTo(contact),
      await (smtp as SmtpSink).nextMessageTo(contact),
    ];
    const subjects = mails.map((m) => m.subject ?? '');
    assert.ok(
      subjects.some((s) => /approved/.test(s)),
      subjects.join(' | '),
    );
    assert.ok(
      mails.some((m) => /\/invitations\/[a-z2-7]{32}/.test(m.text ?? '')),
      'an invitation link',
    );
  });
});

/** A valid PDF padded to `bytes` with a comment, the size of a real annual report. */
function pdfOfSize(label: string, bytes: number): Buffer {
  const head = pdf(label);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), '%')]);
}

function applicationForm(report1: Buffer, report2: Buffer): FormData {
  const form = new FormData();
  const fields: Record<string, string> = {
    organisationName: `Large Reports Association ${process.pid}-${report1.length}`,
    country: 'NL',
    legalStatus: 'Foundation (stichting)',
    website: '',
    contactName: 'Joost de Vries',
    contactEmail: `large-${process.pid}-${report1.length}@example.org`,
    contactLocale: 'en',
    motivation: 'We support children of imprisoned parents in three provinces.',
    referenceName: 'Dr. Anna Bakker',
    referenceContact: 'anna.bakker@example.org',
  };
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('report1', new Blob([report1], { type: 'application/pdf' }), 'annual-report-2024.pdf');
  form.set('report2', new Blob([report2], { type: 'application/pdf' }), 'annual-report-2025.pdf');
  return form;
}

void describe('real-sized annual reports', () => {
  void test('two reports of 9.5 MB each are accepted through the running server', async () => {
    const size = 9.5 * 1024 * 1024;
    const response = await fetch(`${app.baseUrl}/api/v1/applications`, {
      method: 'POST',
      // SvelteKit refuses form posts without the app's Origin (its CSRF check), as a browser would send it.
      headers: { origin: app.baseUrl },
      body: applicationForm(pdfOfSize('a', size), pdfOfSize('b', size)),
    });
    assert.equal(response.status, 201, await response.clone().text());
  });

  void test('a report over 10 MB is refused with a clear error, not a failed request', async () => {
    const response = await fetch(`${app.baseUrl}/api/v1/applications`, {
      method: 'POST',
      headers: { origin: app.baseUrl },
      body: applicationForm(pdfOfSize('c', 11 * 1024 * 1024), pdf('d')),
    });
    assert.equal(response.status, 422, await response.clone().text());
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(typeof body.error.code, 'string');
  });
});
