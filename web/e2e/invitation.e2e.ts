import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createAccount, createAccountWithLink } from './harness/accounts';
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

void describe('invitations over real SMTP', () => {
  void test('staff invite a person; the invitee follows the mailed link, sets a password and is signed in', async () => {
    const staff = await createAccount(app, 'staff', 'Sam Staff');
    const staffPage = await (await app.newContext({ locale: 'en-GB', bypassCSP: true })).newPage();
    await gotoHydrated(staffPage, '/sign-in?next=/admin/invitations');
    await staffPage.getByLabel('Email address').fill(staff.email);
    await staffPage.getByLabel('Password').fill(staff.password);
    await staffPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await staffPage.waitForURL((url) => url.pathname === '/admin/invitations');
    await staffPage.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    assert.deepEqual(await axeViolations(staffPage).then((v) => v.map((x) => x.id)), []);

    const invitee = `invitee-${process.pid}@example.org`;
    await staffPage.getByLabel('Email address').fill(invitee);
    await staffPage.getByLabel('Name (optional)').fill('Inès Invitée');
    await staffPage.getByLabel('Language of the invitation').selectOption('fr');
    await staffPage.getByRole('button', { name: 'Send the invitation' }).click();
    const status = staffPage.locator('[role="status"]:focus');
    await status.waitFor();
    assert.equal(await status.innerText(), `Invitation sent to ${invitee}.`);
    assert.equal(await staffPage.getByRole('row').filter({ hasText: invitee }).count(), 1);
    const violations = await axeViolations(staffPage);
    await screenshot(staffPage, 'admin-invitations-en-desktop');
    assert.equal(violations.length, 0, describeViolations(violations));

    const mail = await (smtp as SmtpSink).nextMessageTo(invitee);
    const link = /https?:\/\/\S+\/invitations\/[a-z2-7]{32}/.exec(mail.text ?? '')?.[0];
    assert.ok(link, `an invitation link in the mail:\n${mail.text}`);
    assert.ok(link.startsWith(app.baseUrl), 'the link points at the app');

    const context = await app.newContext({ locale: 'fr-FR', bypassCSP: true });
    const page = await context.newPage();
    await gotoHydrated(page, new URL(link).pathname);
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Bienvenue dans COPE Workspace',
    );
    assert.equal(await page.getByLabel('Votre nom').inputValue(), 'Inès Invitée');
    assert.equal((await axeViolations(page)).length, 0);
    await screenshot(page, 'invitation-fr-desktop');

    // A password the policy refuses: the error summary takes focus and names the field.
    await page.getByLabel('Nouveau mot de passe').fill('short');
    await page.getByRole('button', { name: 'Accepter et se connecter' }).click();
    await page.locator('[role="alert"]:focus').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /Utilisez au moins 8/);
    assert.equal(
      await page.getByLabel('Nouveau mot de passe').getAttribute('aria-describedby'),
      'password-error password-hint',
    );
    const errorViolations = await axeViolations(page);
    assert.equal(errorViolations.length, 0, describeViolations(errorViolations));

    await page.getByLabel('Nouveau mot de passe').fill('violet kettle under the bridge');
    await page.getByRole('button', { name: 'Accepter et se connecter' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Bienvenue, Inès Invitée');

    // The link works once.
    const again = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await again.goto(new URL(link).pathname);
    assert.equal(await again.getByRole('heading', { level: 1 }).textContent(), 'This link does not work');

    // Staff no longer see it as pending.
    await staffPage.reload();
    assert.equal(await staffPage.getByRole('row').filter({ hasText: invitee }).count(), 0);
  });

  void test('staff resend and revoke an invitation; the revoked link stops working', async () => {
    const staff = await createAccount(app, 'staff');
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(page, '/sign-in?next=/admin/invitations');
    await page.getByLabel('Email address').fill(staff.email);
    await page.getByLabel('Password').fill(staff.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/invitations');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });

    const invitee = `resend-${process.pid}@example.org`;
    await page.getByLabel('Email address').fill(invitee);
    await page.getByRole('button', { name: 'Send the invitation' }).click();
    await page.locator('[role="status"]:focus').waitFor();
    const first = await (smtp as SmtpSink).nextMessageTo(invitee);

    await page.getByRole('button', { name: `Resend the invitation to ${invitee}` }).click();
    await page.locator('[role="status"]:focus').getByText('A new link was sent').waitFor();
    const second = await (smtp as SmtpSink).nextMessageTo(invitee);
    const linkOf = (text: string | undefined): string =>
      new URL(/https?:\/\/\S+\/invitations\/[a-z2-7]{32}/.exec(text ?? '')?.[0] ?? app.baseUrl).pathname;
    assert.notEqual(linkOf(first.text), linkOf(second.text));

    await page.getByRole('button', { name: `Revoke the invitation to ${invitee}` }).click();
    await page.locator('[role="status"]:focus').getByText('is revoked').waitFor();
    const visitor = await (await app.newContext({ locale: 'en-GB' })).newPage();
    for (const path of [linkOf(first.text), linkOf(second.text)]) {
      await visitor.goto(path);
      assert.equal(await visitor.getByRole('heading', { level: 1 }).textContent(), 'This link does not work');
    }
  });
});

void describe('one-time password links', () => {
  void test('an account created on the command line sets its password with the printed link', async () => {
    const { email, link } = await createAccountWithLink(app, 'member', 'Lina Link');
    const page = await (await app.newContext({ locale: 'en-GB' })).newPage();
    await gotoHydrated(page, new URL(link).pathname);
    await page.getByLabel('New password').fill('copper meadow after rain');
    await page.getByRole('button', { name: 'Save the password' }).click();
    await page.getByRole('status').waitFor();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Password saved');

    await gotoHydrated(page, '/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('copper meadow after rain');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Welcome, Lina Link');
  });

  void test('forgotten password: the same answer for any address; the mailed link sets a new one', async () => {
    const member = await createAccount(app, 'member', 'Rita Reset');
    const page = await (await app.newContext({ locale: 'en-GB', bypassCSP: true })).newPage();
    await gotoHydrated(page, '/sign-in');
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await page.waitForURL((url) => url.pathname === '/forgot-password');
    await page.locator('html[data-hydrated]').waitFor({ state: 'attached' });
    assert.equal((await axeViolations(page)).length, 0);

    await page.getByLabel('Email address').fill(`nobody-${process.pid}@example.org`);
    await page.getByRole('button', { name: 'Send the link' }).click();
    const unknownAnswer = await page.locator('[role="status"]:focus').innerText();

    await gotoHydrated(page, '/forgot-password');
    await page.getByLabel('Email address').fill(member.email);
    await page.getByRole('button', { name: 'Send the link' }).click();
    assert.equal(await page.locator('[role="status"]:focus').innerText(), unknownAnswer);

    const mail = await (smtp as SmtpSink).nextMessageTo(member.email);
    const link = /https?:\/\/\S+\/reset-password\/[a-z2-7]{32}/.exec(mail.text ?? '')?.[0];
    assert.ok(link, `a reset link in the mail:\n${mail.text}`);
    await gotoHydrated(page, new URL(link).pathname);
    assert.equal((await axeViolations(page)).length, 0);
    await page.getByLabel('New password').fill('silver lantern by the sea');
    await page.getByRole('button', { name: 'Save the password' }).click();
    await page.getByRole('status').waitFor();

    const refused = await page.request.post('/api/v1/session', {
      data: { email: member.email, password: member.password },
    });
    assert.equal(refused.status(), 401, 'the old password no longer works');
    const accepted = await page.request.post('/api/v1/session', {
      data: { email: member.email, password: 'silver lantern by the sea' },
    });
    assert.equal(accepted.status(), 201);
  });
});
