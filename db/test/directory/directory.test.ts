import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@cope/domain';
import { listAuditEvents } from '../../src/accounts/audit';
import { createOrganisation } from '../../src/accounts/organisations';
import { createUser } from '../../src/accounts/users';
import {
  applyProfileDefaults,
  createDirectoryOrganisation,
  getOrganisationProfile,
  getOwnProfile,
  getPersonProfile,
  searchOrganisations,
  searchPeople,
  updateOwnProfile,
} from '../../src/directory/index';
import { models } from '../../src/models/index';
import { startMongooseDatabase } from '../helpers/mongoose-database';
import type { MongooseTestDatabase } from '../helpers/mongoose-database';

let t: MongooseTestDatabase;
const ctx = { actorId: new Types.ObjectId().toHexString() };

const ids: Record<string, string> = {};
const id = (key: string): string => {
  const value = ids[key];
  if (value === undefined) throw new Error(`no ${key}`);
  return value;
};
const actor = (key: string, networkRole: Actor['networkRole']): Actor => ({
  userId: id(key),
  networkRole,
  disabled: false,
});

async function org(key: string, input: Parameters<typeof createOrganisation>[1]): Promise<void> {
  const r = await createOrganisation(t.conn, input, ctx);
  if (!r.ok) throw new Error(r.message);
  ids[key] = r.value.id;
}

async function person(
  key: string,
  name: string,
  networkRole: Actor['networkRole'],
  organisation?: string,
): Promise<void> {
  const r = await createUser(
    t.conn,
    {
      email: `${key}@example.org`,
      name,
      networkRole,
      organisationId: organisation === undefined ? null : id(organisation),
    },
    ctx,
  );
  if (!r.ok) throw new Error(r.message);
  ids[key] = r.value.id;
}

beforeAll(async () => {
  t = await startMongooseDatabase();
  await org('lisbon', {
    name: 'Associação Família',
    country: 'PT',
    languages: ['pt', 'en'],
    expertise: ['family-support', 'research'],
  });
  await org('paris', {
    name: 'Relais Enfants Parents',
    country: 'FR',
    languages: ['fr'],
    expertise: ['prison-visits'],
  });
  await org('lyon', { name: 'Écoute Lyon', country: 'FR', languages: ['fr'], category: 'applicant' });
  await org('gone', { name: 'Old Friends', country: 'FR', languages: ['fr'], category: 'former' });
  await person('ana', 'Ana Sousa', 'member', 'lisbon');
  await person('eloise', 'Éloïse Martin', 'member', 'paris');
  await person('indie', 'Ingrid Straße', 'member');
  await person('sam', 'Sam Staff', 'staff');
  await person('aff', 'Alex Affiliate', 'affiliate');
  await person('former', 'Fern Former', 'member', 'gone');
  await person('off', 'Olga Off', 'member');
  await models(t.conn).User.updateOne({ _id: id('off') }, { $set: { disabled: true } });
});
afterAll(async () => {
  await t?.close();
});

describe('searchOrganisations', () => {
  it('refuses affiliates and anonymous visitors', async () => {
    expect(await searchOrganisations(t.conn, {}, { actor: null })).toMatchObject({ code: 'forbidden' });
    expect(await searchOrganisations(t.conn, {}, { actor: actor('aff', 'affiliate') })).toMatchObject({
      code: 'forbidden',
    });
  });

  it('lists members and applicants in alphabetical order, never former members', async () => {
    const r = await searchOrganisations(t.conn, {}, { actor: actor('ana', 'member'), locale: 'fr' });
    if (!r.ok) throw new Error(r.message);
    // "Écoute" sorts with the E's (a binary sort would put it after "Relais").
    expect(r.value.items.map((o) => o.name)).toEqual([
      'Associação Família',
      'Écoute Lyon',
      'Relais Enfants Parents',
    ]);
    expect(r.value.total).toBe(3);
  });

  it('filters by name without case or accents, country, language, expertise and category', async () => {
    const a = actor('ana', 'member');
    const names = async (input: Parameters<typeof searchOrganisations>[1]) => {
      const r = await searchOrganisations(t.conn, input, { actor: a });
      if (!r.ok) throw new Error(r.message);
      return r.value.items.map((o) => o.name);
    };
    expect(await names({ q: 'ASSOCIACAO' })).toEqual(['Associação Família']);
    expect(await names({ q: 'ecoute' })).toEqual(['Écoute Lyon']);
    expect(await names({ country: 'fr' })).toEqual(['Écoute Lyon', 'Relais Enfants Parents']);
    expect(await names({ language: 'pt' })).toEqual(['Associação Família']);
    expect(await names({ expertise: 'prison-visits' })).toEqual(['Relais Enfants Parents']);
    expect(await names({ category: 'applicant' })).toEqual(['Écoute Lyon']);
    expect(await names({ country: 'FR', expertise: 'research' })).toEqual([]);
    expect(await names({ q: 'old friends' })).toEqual([]);
  });

  it('pages, with the total of every match', async () => {
    const r = await searchOrganisations(
      t.conn,
      { page: '2', pageSize: '2' },
      { actor: actor('ana', 'member') },
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(r.value.items.map((o) => o.name)).toEqual(['Relais Enfants Parents']);
  });

  it('refuses bad filters with the field in error', async () => {
    const r = await searchOrganisations(
      t.conn,
      { country: 'ZZ', page: '0' },
      { actor: actor('ana', 'member') },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('invalidInput');
    expect(r.issues?.map((i) => i.path).sort()).toEqual(['country', 'page']);
  });
});

describe('searchPeople', () => {
  const names = async (input: Parameters<typeof searchPeople>[1], who = actor('ana', 'member')) => {
    const r = await searchPeople(t.conn, input, { actor: who });
    if (!r.ok) throw new Error(r.message);
    return r.value.items.map((p) => p.name);
  };

  it('lists members and staff, never affiliates, disabled accounts or contacts of former members', async () => {
    expect(await names({})).toEqual(['Ana Sousa', 'Éloïse Martin', 'Ingrid Straße', 'Sam Staff']);
  });

  it('filters by category: organisation members, applicants, individual members, staff', async () => {
    expect(await names({ category: 'member' })).toEqual(['Ana Sousa', 'Éloïse Martin']);
    expect(await names({ category: 'individual' })).toEqual(['Ingrid Straße']);
    expect(await names({ category: 'staff' })).toEqual(['Sam Staff']);
    expect(await names({ category: 'applicant' })).toEqual([]);
    expect(await names({ q: 'strasse' })).toEqual(['Ingrid Straße']);
    expect(await names({ q: 'eloise' })).toEqual(['Éloïse Martin']);
  });

  it('filters by the profile country, language and expertise each person gives', async () => {
    const r = await updateOwnProfile(
      t.conn,
      { country: 'pt', languages: ['pt', 'es', 'pt'], expertise: ['research'], jobTitle: 'Researcher' },
      { actor: actor('ana', 'member') },
    );
    expect(r).toMatchObject({ ok: true, value: { country: 'PT', languages: ['pt', 'es'] } });
    expect(await names({ country: 'PT' })).toEqual(['Ana Sousa']);
    expect(await names({ language: 'es' })).toEqual(['Ana Sousa']);
    expect(await names({ expertise: 'research' })).toEqual(['Ana Sousa']);
    expect(await names({ expertise: 'education' })).toEqual([]);
  });

  it('shows the email by default and hides the phone, to members only', async () => {
    await updateOwnProfile(t.conn, { phone: '+351 21 000 0000' }, { actor: actor('ana', 'member') });
    const r = await searchPeople(t.conn, { q: 'ana' }, { actor: actor('eloise', 'member') });
    if (!r.ok) throw new Error(r.message);
    expect(r.value.items[0]).toMatchObject({
      email: 'ana@example.org',
      organisation: { name: 'Associação Família' },
    });
    expect(r.value.items[0]?.phone).toBeUndefined();
  });

  it('follows each person’s choices: phone shown, email hidden, then not listed at all', async () => {
    const ana = actor('ana', 'member');
    const viewer = { actor: actor('eloise', 'member') };
    await updateOwnProfile(t.conn, { visibility: { phone: true, email: false } }, { actor: ana });
    const shown = await getPersonProfile(t.conn, id('ana'), viewer);
    if (!shown.ok) throw new Error(shown.message);
    expect(shown.value.phone).toBe('+351 21 000 0000');
    expect(shown.value.email).toBeUndefined();

    await updateOwnProfile(t.conn, { visibility: { listed: false } }, { actor: ana });
    expect(await names({}, viewer.actor)).not.toContain('Ana Sousa');
    expect(await getPersonProfile(t.conn, id('ana'), viewer)).toMatchObject({ code: 'notFound' });
    const lisbon = await getOrganisationProfile(t.conn, id('lisbon'), viewer);
    expect(lisbon.ok && lisbon.value.contacts).toEqual([]);

    const audit = await listAuditEvents(t.conn, { action: 'profile.visibility.change' });
    expect(audit.map((e): unknown => e.details)).toContainEqual({ listed: false });

    await updateOwnProfile(
      t.conn,
      { visibility: { listed: true, email: true, phone: false } },
      { actor: ana },
    );
  });
});

describe('profile pages', () => {
  it('an organisation with its listed contacts; former members are not found', async () => {
    const viewer = { actor: actor('eloise', 'member') };
    const r = await getOrganisationProfile(t.conn, id('lisbon'), viewer);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ name: 'Associação Família', country: 'PT', category: 'member' });
    expect(r.value.contacts.map((c) => [c.name, c.email])).toEqual([['Ana Sousa', 'ana@example.org']]);
    expect(await getOrganisationProfile(t.conn, id('gone'), viewer)).toMatchObject({ code: 'notFound' });
    expect(await getOrganisationProfile(t.conn, 'not-an-id', viewer)).toMatchObject({ code: 'notFound' });
    expect(await getOrganisationProfile(t.conn, id('lisbon'), { actor: null })).toMatchObject({
      code: 'forbidden',
    });
    const applicant = await getOrganisationProfile(t.conn, id('lyon'), viewer);
    expect(applicant.ok && applicant.value.termStart).toBeInstanceOf(Date);
  });

  it('people: affiliates, disabled accounts and contacts of former members are not found', async () => {
    const viewer = { actor: actor('eloise', 'member') };
    for (const key of ['aff', 'off', 'former'])
      expect(await getPersonProfile(t.conn, id(key), viewer)).toMatchObject({ code: 'notFound' });
    const sam = await getPersonProfile(t.conn, id('sam'), viewer);
    expect(sam).toMatchObject({ ok: true, value: { category: 'staff', organisation: null } });
  });
});

describe('own profile', () => {
  it('reads the defaults, and an affiliate edits theirs but is not in the directory', async () => {
    const r = await getOwnProfile(t.conn, { actor: actor('aff', 'affiliate') });
    expect(r).toMatchObject({
      ok: true,
      value: { inDirectory: false, visibility: { listed: true, email: true, phone: false }, country: null },
    });
    expect(await getOwnProfile(t.conn, { actor: null })).toMatchObject({ code: 'forbidden' });
  });

  it('refuses bad input and changes nothing', async () => {
    const before = await models(t.conn).User.findById(id('indie')).lean();
    for (const bad of [
      { website: 'javascript:alert(1)' },
      { phone: 'call me' },
      { country: 'XX' },
      { expertise: ['juggling'] },
      { name: '' },
      { jobTitle: 'x'.repeat(201) },
      { unknown: 1 },
      { bio: 'ok', website: 'ftp://example.org' },
    ]) {
      const r = await updateOwnProfile(t.conn, bad as never, { actor: actor('indie', 'member') });
      expect(r, JSON.stringify(bad)).toMatchObject({ ok: false, code: 'invalidInput' });
    }
    expect(await models(t.conn).User.findById(id('indie')).lean()).toEqual(before);
  });

  it('saves every field and the name, trimmed', async () => {
    const r = await updateOwnProfile(
      t.conn,
      {
        name: '  Ingrid Straße ',
        jobTitle: ' Psychologist ',
        bio: 'Line one\nLine two',
        website: 'https://example.org/ingrid',
        country: 'de',
        languages: ['de'],
        expertise: ['mental-health'],
      },
      { actor: actor('indie', 'member') },
    );
    expect(r).toMatchObject({
      ok: true,
      value: {
        name: 'Ingrid Straße',
        jobTitle: 'Psychologist',
        bio: 'Line one\nLine two',
        website: 'https://example.org/ingrid',
        country: 'DE',
      },
    });
    const page = await getPersonProfile(t.conn, id('indie'), { actor: actor('sam', 'staff') });
    expect(page).toMatchObject({
      ok: true,
      value: { category: 'individual', website: 'https://example.org/ingrid' },
    });
  });
});

describe('creating an organisation', () => {
  it('staff only; with its website and description', async () => {
    const input = {
      name: 'Children First',
      country: 'be',
      expertise: ['education' as const],
      website: 'https://children-first.example.org',
      description: 'Support in Brussels.',
    };
    expect(await createDirectoryOrganisation(t.conn, input, { actor: actor('ana', 'member') })).toMatchObject(
      {
        code: 'forbidden',
      },
    );
    expect(
      await createDirectoryOrganisation(
        t.conn,
        { ...input, website: 'javascript:x' },
        { actor: actor('sam', 'staff') },
      ),
    ).toMatchObject({ code: 'invalidInput' });
    const r = await createDirectoryOrganisation(t.conn, input, { actor: actor('sam', 'staff') });
    if (!r.ok) throw new Error(r.message);
    const profile = await getOrganisationProfile(t.conn, r.value.id, { actor: actor('ana', 'member') });
    expect(profile).toMatchObject({
      ok: true,
      value: {
        country: 'BE',
        website: 'https://children-first.example.org',
        description: 'Support in Brussels.',
      },
    });
  });
});

const indexKeys = (indexes: unknown[]): string[] =>
  indexes.map((index) => Object.keys((index as { key: object }).key).join(','));

describe('accounts made before profiles existed', () => {
  it('are given the default choices at start-up, and are then listed', async () => {
    const { insertedId } = await t.conn.collection('users').insertOne({
      email: 'old@example.org',
      name: 'Olivia Older',
      networkRole: 'member',
      passwordHash: null,
      disabled: false,
      locale: 'en',
      organisationId: null,
      createdAt: new Date(),
    });
    const viewer = { actor: actor('sam', 'staff') };
    expect(await getPersonProfile(t.conn, insertedId.toHexString(), viewer)).toMatchObject({ ok: true });
    const before = await searchPeople(t.conn, { q: 'olivia' }, viewer);
    expect(before.ok && before.value.total).toBe(0);
    expect(await applyProfileDefaults(t.conn)).toBe(1);
    expect(await applyProfileDefaults(t.conn)).toBe(0);
    const after = await searchPeople(t.conn, { q: 'olivia' }, viewer);
    expect(after.ok && after.value.items.map((p) => [p.name, p.email, p.phone])).toEqual([
      ['Olivia Older', 'old@example.org', undefined],
    ]);
  });
});

describe('indexes', () => {
  it('the directory filters have indexes on both collections', async () => {
    const userKeys = indexKeys(await models(t.conn).User.listIndexes());
    expect(userKeys).toEqual(
      expect.arrayContaining([
        'profileVisibility.listed,networkRole',
        'profile.country,profileVisibility.listed,networkRole',
        'profile.languages,profileVisibility.listed,networkRole',
        'profile.expertise,profileVisibility.listed,networkRole',
      ]),
    );
    const orgKeys = indexKeys(await models(t.conn).Organisation.listIndexes());
    expect(orgKeys).toEqual(
      expect.arrayContaining(['country,category', 'languages,category', 'expertise,category']),
    );
  });
});
