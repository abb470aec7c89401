import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureIndexes, models } from '../../src/models/index';
import { startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;

beforeAll(async () => {
  t = await startMongooseDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('models()', () => {
  it('binds the models to the given connection, once per connection', async () => {
    expect(models(t.conn)).toBe(models(t.conn));
    expect(models(t.conn).User.db).toBe(t.conn);
    // Nothing is registered on mongoose's global default connection.
    expect(mongoose.connection.models).not.toHaveProperty('User');
    const other = mongoose.createConnection();
    try {
      expect(models(other).User).not.toBe(models(t.conn).User);
    } finally {
      await other.close();
    }
  });
});

describe('User', () => {
  it('stores the email lower-cased and keeps it unique', async () => {
    const { User } = models(t.conn);
    const ana = await User.create({ email: ' Ana@Example.ORG ', name: 'Ana', networkRole: 'member' });
    expect(ana.email).toBe('ana@example.org');
    expect(ana).toMatchObject({ disabled: false, locale: 'en', passwordHash: null, organisationId: null });
    await expect(
      User.create({ email: 'ANA@example.org', name: 'Ana 2', networkRole: 'staff' }),
    ).rejects.toMatchObject({
      code: 11000,
    });
  });

  it('refuses unknown roles, locales and fields', async () => {
    const { User } = models(t.conn);
    // `as never`: these documents are wrong on purpose, as input from outside could be.
    await expect(
      User.create({ email: 'r@example.org', name: 'R', networkRole: 'root' } as never),
    ).rejects.toThrow();
    await expect(
      User.create({ email: 'l@example.org', name: 'L', networkRole: 'member', locale: 'de' } as never),
    ).rejects.toThrow();
    await expect(
      User.create({ email: 'f@example.org', name: 'F', networkRole: 'member', admin: true } as never),
    ).rejects.toThrow();
  });
});

describe('Organisation', () => {
  it('keeps a valid organisation and refuses bad codes', async () => {
    const { Organisation } = models(t.conn);
    const org = await Organisation.create({
      name: 'Relais Enfants Parents',
      country: 'FR',
      languages: ['fr', 'en'],
      expertise: ['family-support', 'prison-visits'],
      category: 'applicant',
      termStart: new Date(Date.UTC(2026, 0, 1)),
    });
    expect(org.toObject()).toMatchObject({
      country: 'FR',
      languages: ['fr', 'en'],
      category: 'applicant',
      contacts: [],
    });
    await expect(
      Organisation.create({ name: 'X', country: 'XX', category: 'member' } as never),
    ).rejects.toThrow();
    await expect(
      Organisation.create({ name: 'X', country: 'FR', category: 'member', languages: ['xx'] } as never),
    ).rejects.toThrow();
    await expect(
      Organisation.create({ name: 'X', country: 'FR', category: 'member', expertise: ['x'] } as never),
    ).rejects.toThrow();
    await expect(
      Organisation.create({ name: 'X', country: 'FR', category: 'sponsor' } as never),
    ).rejects.toThrow();
  });
});

describe('indexes', () => {
  async function indexes(collection: string) {
    return t.db.client.db(t.db.dbName).collection(collection).indexes();
  }

  it('has the unique email index and the TTL indexes that expire sessions and rate-limit records', async () => {
    expect(await indexes('users')).toContainEqual(
      expect.objectContaining({ key: { email: 1 }, unique: true }),
    );
    expect(await indexes('sessions')).toContainEqual(
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
    );
    expect(await indexes('login_failures')).toContainEqual(
      expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
    );
    expect(await indexes('lockouts')).toContainEqual(
      expect.objectContaining({ key: { until: 1 }, expireAfterSeconds: 0 }),
    );
  });

  it('has the audit log filter indexes', async () => {
    const keys = (await indexes('audit_events')).map((i) => i.key);
    expect(keys).toEqual(expect.arrayContaining([{ at: -1 }, { action: 1, at: -1 }, { actorId: 1, at: -1 }]));
  });
});

describe('ensureIndexes()', () => {
  it('drops the version index that paging replaced, and runs again without complaint', async () => {
    const versions = t.conn.collection('document_versions');
    await versions.createIndex({ documentId: 1, createdAt: -1 });
    expect((await versions.indexes()).map((i) => i.name)).toContain('documentId_1_createdAt_-1');
    await ensureIndexes(t.conn);
    const names = (await versions.indexes()).map((i) => i.name);
    expect(names).not.toContain('documentId_1_createdAt_-1');
    expect(names).toContain('documentId_1_createdAt_-1__id_-1');
    await ensureIndexes(t.conn);
  });
});
