import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents, recordAudit } from '../../src/accounts/audit';
import { models } from '../../src/models/index';
import { manualClock, startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
const start = Date.UTC(2026, 0, 1);
const staffId = new Types.ObjectId().toHexString();
const otherId = new Types.ObjectId().toHexString();

beforeAll(async () => {
  t = await startMongooseDatabase();
  const clock = manualClock(start);
  const events = [
    { action: 'user.create', actorId: staffId, subject: { kind: 'user', id: 'u1' } },
    {
      action: 'user.role.change',
      actorId: staffId,
      subject: { kind: 'user', id: 'u1' },
      details: { from: 'affiliate', to: 'member' },
    },
    { action: 'signIn.lockout', actorId: null, subject: { kind: 'account', id: 'ana@example.org' } },
    {
      action: 'organisation.category.change',
      actorId: otherId,
      details: { from: 'applicant', to: 'member' },
    },
  ];
  for (const e of events) {
    await recordAudit(t.conn, e, { clock: clock.now });
    clock.advance(60_000);
  }
});
afterAll(async () => {
  await t?.close();
});

describe('recordAudit', () => {
  it('appends events with their time, actor, subject and details', async () => {
    const all = await listAuditEvents(t.conn);
    expect(all.map((e) => e.action)).toEqual([
      'organisation.category.change',
      'signIn.lockout',
      'user.role.change',
      'user.create',
    ]);
    const roleChange = all[2];
    expect(roleChange?.actorId?.toHexString()).toBe(staffId);
    expect(roleChange?.subject).toEqual({ kind: 'user', id: 'u1' });
    expect(roleChange?.details).toEqual({ from: 'affiliate', to: 'member' });
    expect(roleChange?.at.getTime()).toBe(start + 60_000);
  });

  it('refuses malformed events', async () => {
    await expect(recordAudit(t.conn, { action: '', actorId: null })).rejects.toThrow();
    await expect(recordAudit(t.conn, { action: 'user.create', actorId: 'not-an-id' })).rejects.toThrow();
  });

  it('cannot be rewritten or deleted through the model', async () => {
    const { AuditEvent } = models(t.conn);
    await expect(AuditEvent.updateMany({}, { $set: { action: 'x' } })).rejects.toThrow(/append-only/);
    await expect(AuditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(AuditEvent.findOneAndDelete({})).rejects.toThrow(/append-only/);
    const doc = await AuditEvent.findOne({});
    expect(doc).not.toBeNull();
    if (doc) {
      doc.action = 'rewritten';
      await expect(doc.save()).rejects.toThrow(/append-only/);
    }
    expect(await AuditEvent.countDocuments({ action: 'rewritten' })).toBe(0);
  });
});

describe('listAuditEvents', () => {
  it('filters by action, by action prefix, by actor and by time', async () => {
    expect((await listAuditEvents(t.conn, { action: 'user.create' })).map((e) => e.action)).toEqual([
      'user.create',
    ]);
    expect((await listAuditEvents(t.conn, { action: 'user.' })).map((e) => e.action)).toEqual([
      'user.role.change',
      'user.create',
    ]);
    expect((await listAuditEvents(t.conn, { actorId: otherId })).map((e) => e.action)).toEqual([
      'organisation.category.change',
    ]);
    const from = new Date(start + 60_000);
    const to = new Date(start + 120_000);
    expect((await listAuditEvents(t.conn, { from, to })).map((e) => e.action)).toEqual([
      'signIn.lockout',
      'user.role.change',
    ]);
    expect(await listAuditEvents(t.conn, { limit: 1 })).toHaveLength(1);
  });

  it('refuses a malformed filter', async () => {
    await expect(listAuditEvents(t.conn, { actorId: 'x' })).rejects.toThrow();
    await expect(listAuditEvents(t.conn, { limit: 100_000 })).rejects.toThrow();
  });
});
