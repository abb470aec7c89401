/**
 * The CLI as people run it: a child process (`node --import tsx db/src/bin/cope.ts …`) on a temp DATA_DIR,
 * checked through the real database afterwards.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCope } from '../helpers/cope-cli';
import { listAuditEvents } from '../../src/accounts/audit';
import { setPasswordWithLink } from '../../src/accounts/password-reset';
import { signIn } from '../../src/accounts/sign-in';
import { connectDb } from '../../src/connect';
import type { DbHandle } from '../../src/connect';
import { models } from '../../src/models/index';

const logger = pino({ level: 'silent' });

const cope = runCope;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cope-cli-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pnpm cope, on a data folder no other process holds', () => {
  it('creates a staff user from a password file; the password works and the creation is audited', async () => {
    const dataDir = path.join(dir, 'alone');
    const passwordFile = path.join(dir, 'password.txt');
    await writeFile(passwordFile, 'first staff passphrase\nignored second line\n');
    const out = await cope(
      [
        'user:create',
        '--email',
        'Admin@Example.org',
        '--name',
        'First Admin',
        '--role',
        'staff',
        '--password-file',
        passwordFile,
      ],
      { DATA_DIR: dataDir },
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Created the staff account admin@example.org');
    expect(out.stdout).not.toContain('set-password');

    // The CLI has exited and released the folder: open it here.
    const db = await connectDb({ dataDir, logger });
    try {
      expect(db.mode).toBe('embedded');
      const user = await models(db.connection).User.findOne({ email: 'admin@example.org' }).lean();
      expect(user).toMatchObject({ name: 'First Admin', networkRole: 'staff' });
      const ok = await signIn(db.connection, {
        email: 'admin@example.org',
        password: 'first staff passphrase',
        address: '127.0.0.1',
      });
      expect(ok.ok).toBe(true);
      const audit = await listAuditEvents(db.connection, { action: 'user.create' });
      expect(audit.find((e) => e.subject?.id === user?._id.toHexString())?.actorId).toBeNull();
    } finally {
      await db.close();
    }
  });
});

describe('pnpm cope, while another process holds the data folder', () => {
  let dataDir: string;
  let owner: DbHandle;

  beforeAll(async () => {
    dataDir = path.join(dir, 'shared');
    // This test process plays the running server: it owns the folder and its embedded database.
    owner = await connectDb({ dataDir, logger });
  });
  afterAll(async () => {
    await owner?.close();
  });

  it('creates a user without a password and prints a set-password link that works', async () => {
    const out = await cope(
      ['user:create', '--email', 'member@example.org', '--name', 'Mel', '--role', 'member', '--locale', 'fr'],
      {
        DATA_DIR: dataDir,
        ORIGIN: 'https://workspace.example.org',
      },
    );
    expect(out.code).toBe(0);
    const match = /https:\/\/workspace\.example\.org\/set-password\/([a-z2-7]{32})/.exec(out.stdout);
    expect(match).not.toBeNull();
    // The server's own connection sees the account at once: both wrote to the same database.
    const user = await models(owner.connection).User.findOne({ email: 'member@example.org' }).lean();
    expect(user).toMatchObject({ networkRole: 'member', locale: 'fr', passwordHash: null });
    expect(
      await setPasswordWithLink(owner.connection, match?.[1], 'mel chose this passphrase'),
    ).toMatchObject({ ok: true });
  });

  it('creates an organisation', async () => {
    const out = await cope(
      ['org:create', '--name', 'Kinder Netz', '--country', 'de', '--language', 'de', '--language', 'en'],
      {
        DATA_DIR: dataDir,
      },
    );
    expect(out.code).toBe(0);
    const org = await models(owner.connection).Organisation.findOne({ name: 'Kinder Netz' }).lean();
    expect(org).toMatchObject({ country: 'DE', languages: ['de', 'en'], category: 'member' });
  });

  it('fails with exit code 1 when the email has an account', async () => {
    const out = await cope(
      ['user:create', '--email', 'member@example.org', '--name', 'Again', '--role', 'member'],
      {
        DATA_DIR: dataDir,
      },
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('already exists');
  });
});

describe('pnpm cope, bad input', () => {
  const env = () => ({ DATA_DIR: path.join(dir, 'never-opened') });

  it.each([
    [[], 'a command is needed'],
    [['user:delete'], 'unknown command'],
    [['user:create', '--email', 'not-an-email', '--name', 'X', '--role', 'staff'], '--email'],
    [['user:create', '--email', 'x@example.org', '--name', 'X', '--role', 'king'], '--role'],
    [['user:create', '--email', 'x@example.org', '--role', 'staff'], '--name'],
    [
      [
        'user:create',
        '--email',
        'x@example.org',
        '--name',
        'X',
        '--role',
        'staff',
        '--password',
        'hunter22hunter',
      ],
      'never accepted',
    ],
    [
      [
        'user:create',
        '--email',
        'x@example.org',
        '--name',
        'X',
        '--role',
        'staff',
        '--password-file',
        '/nonexistent/pw',
      ],
      'cannot read',
    ],
    [['org:create', '--name', 'X', '--country', 'XX'], '--country'],
    [['org:create', '--name', 'X', '--country', 'FR', '--bogus', '1'], 'bogus'],
  ])('%j exits 2 with a message', async (args, message) => {
    const out = await cope(args, env());
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(message);
    expect(out.stderr).toContain('usage: pnpm cope');
    expect(out.stdout).toBe('');
    // Bad input is reported before the database is opened.
    expect(existsSync(env().DATA_DIR)).toBe(false);
  });

  it('refuses a common password from the file with exit code 2', async () => {
    const file = path.join(dir, 'weak.txt');
    await writeFile(file, 'password123\n');
    const out = await cope(
      ['user:create', '--email', 'x@example.org', '--name', 'X', '--role', 'staff', '--password-file', file],
      env(),
    );
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('most common');
  });

  it('help exits 0 with the usage on stdout', async () => {
    const out = await cope(['help'], env());
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('user:create');
    expect(out.stdout).toContain('org:create');
  });
});
