/**
 * Accounts for browser tests, created the way an operator does: the `cope user:create` command on the
 * running server's data folder (it connects to the server's embedded database).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './app-server';
import type { E2eFixture } from './fixture';

const run = promisify(execFile);

export interface TestAccount {
  email: string;
  name: string;
  password: string;
  role: 'staff' | 'member' | 'affiliate';
}

let counter = 0;

function cope(app: E2eFixture, args: string[]): Promise<{ stdout: string }> {
  return run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'db/src/bin/cope.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATA_DIR: app.dataDir, ORIGIN: app.baseUrl },
  });
}

/** An account created without a password: the command prints a one-time set-password link. */
export async function createAccountWithLink(
  app: E2eFixture,
  role: TestAccount['role'],
  name: string,
): Promise<{ email: string; link: string }> {
  counter += 1;
  const email = `${role}-link-${counter}-${process.pid}@example.org`;
  const { stdout } = await cope(app, ['user:create', '--email', email, '--name', name, '--role', role]);
  const link = /https?:\/\/\S+\/set-password\/[a-z2-7]{32}/.exec(stdout)?.[0];
  if (link === undefined) throw new Error(`no set-password link in:\n${stdout}`);
  return { email, link };
}

/** A fresh account with a unique email; its password is a passphrase the policy accepts. */
export async function createAccount(
  app: E2eFixture,
  role: TestAccount['role'],
  name = role === 'staff' ? 'Sam Staff' : 'Mira Member',
): Promise<TestAccount> {
  counter += 1;
  const email = `${role}-${counter}-${process.pid}@example.org`;
  const password = `quiet harbour lantern ${counter}`;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'cope-e2e-pw-'));
  const passwordFile = path.join(folder, 'password.txt');
  try {
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    await cope(app, [
      'user:create',
      '--email',
      email,
      '--name',
      name,
      '--role',
      role,
      '--password-file',
      passwordFile,
    ]);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  return { email, name, password, role };
}
