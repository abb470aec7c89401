/**
 * `pnpm cope accounts:purge-unconfirmed` as people run it: a child process on a data folder this test holds
 * (as the running server would), checked through the same database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCope } from '../helpers/cope-cli';
import { listAuditEvents } from '../../src/accounts/audit';
import { connectDb } from '../../src/connect';
import type { DbHandle } from '../../src/connect';
import { ensureIndexes, models } from '../../src/models/index';

const DAY_MS = 24 * 60 * 60 * 1000;

const cope = runCope;

let dir: string;
let dataDir: string;
let owner: DbHandle;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cope-purge-cli-test-'));
  dataDir = path.join(dir, 'data');
  owner = await connectDb({ dataDir, logger: pino({ level: 'silent' }) });
  await ensureIndexes(owner.connection);
});
afterAll(async () => {
  await owner?.close();
  await rm(dir, { recursive: true, force: true });
});

async function affiliate(email: string, ageDays: number, emailConfirmedAt: Date | null) {
  await models(owner.connection).User.create({
    email,
    name: 'Alex Affiliate',
    networkRole: 'affiliate',
    emailConfirmedAt,
    createdAt: new Date(Date.now() - ageDays * DAY_MS),
  });
}

async function exists(email: string): Promise<boolean> {
  return (await models(owner.connection).User.exists({ email })) !== null;
}

describe('pnpm cope accounts:purge-unconfirmed', () => {
  it('refuses a bad --older-than-days and changes nothing', async () => {
    await affiliate('bad-input-bystander@example.org', 30, null);
    for (const value of ['0', 'seven', '2.5', '-3']) {
      const out = await cope(['accounts:purge-unconfirmed', `--older-than-days=${value}`], {
        DATA_DIR: dataDir,
      });
      expect({ value, code: out.code }).toEqual({ value, code: 2 });
      expect(out.stderr).toContain('--older-than-days: must be a whole number of days');
    }
    const unknown = await cope(['accounts:purge-unconfirmed', '--days', '3'], { DATA_DIR: dataDir });
    expect(unknown.code).toBe(2);
    expect(await exists('bad-input-bystander@example.org')).toBe(true);
  });

  it('removes the never-confirmed affiliates older than the wait and prints how many', async () => {
    await affiliate('old-one@example.org', 12, null);
    await affiliate('old-two@example.org', 11, null);
    await affiliate('young@example.org', 4, null);
    await affiliate('confirmed-old@example.org', 40, new Date(Date.now() - 39 * DAY_MS));

    const out = await cope(['accounts:purge-unconfirmed', '--older-than-days', '10'], { DATA_DIR: dataDir });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    // The two above and the 30-day-old bystander of the previous test.
    expect(out.stdout).toMatch(/^Removed 3 affiliate accounts never confirmed, created before \d{4}-/);
    expect(await exists('old-one@example.org')).toBe(false);
    expect(await exists('old-two@example.org')).toBe(false);
    expect(await exists('young@example.org')).toBe(true);
    expect(await exists('confirmed-old@example.org')).toBe(true);
    const events = await listAuditEvents(owner.connection, { action: 'affiliate.unconfirmed.purge' });
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({ purged: 3, olderThanDays: 10 });

    // The default wait is 7 days: the 4-day-old account stays.
    const again = await cope(['accounts:purge-unconfirmed'], { DATA_DIR: dataDir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Removed 0 affiliate accounts/);
    expect(await exists('young@example.org')).toBe(true);
  });
});
