/**
 * Staff find every space, member or not (metadata and owners only); nobody else may list them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { addMember } from '../../src/spaces/members';
import { archiveSpace, restoreSpace } from '../../src/spaces/spaces';
import { listAllSpaces, STAFF_SPACE_PAGE_SIZE } from '../../src/spaces/staff-list';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';
import { organisation, person, space, type TestPerson } from './fixtures';

let t: MongooseTestDatabase;
let staff: TestPerson;
let otherStaff: TestPerson;
let owner: TestPerson;

beforeAll(async () => {
  t = await startMongooseDatabase();
  staff = await person(t.conn, 'staff');
  otherStaff = await person(t.conn, 'staff');
  owner = await person(t.conn, 'member', { name: 'Zoë Owner' });
});
afterAll(async () => {
  await t?.close();
});

describe('listAllSpaces', () => {
  it('lets staff who are not members find an archived space, with its owners, and restore it', async () => {
    const spaceId = await space(t.conn, staff, owner, 'Prison visits (Ω) study');
    const orgId = await organisation(t.conn, 'Alpha Network');
    const added = await addMember(t.conn, owner, spaceId, { organisationId: orgId, role: 'owner' });
    expect(added.ok).toBe(true);
    expect((await archiveSpace(t.conn, owner, spaceId)).ok).toBe(true);

    const archived = await listAllSpaces(t.conn, otherStaff, { archived: true, query: 'visits (ω)' });
    if (!archived.ok) throw new Error(archived.error);
    expect(archived.value.total).toBe(1);
    const found = archived.value.spaces[0];
    expect(found?.id).toBe(spaceId);
    expect(found?.title).toBe('Prison visits (Ω) study');
    expect(found?.kind).toBe('research-study');
    expect(found?.archivedAt).toBeInstanceOf(Date);
    expect(found?.owners.map((o) => [o.kind, o.name])).toEqual([
      ['organisation', 'Alpha Network'],
      ['user', 'Zoë Owner'],
    ]);
    // Metadata only: nothing of the space's documents or description travels.
    expect(Object.keys(found ?? {}).sort()).toEqual(
      ['archivedAt', 'countries', 'createdAt', 'id', 'kind', 'owners', 'title'].sort(),
    );

    const active = await listAllSpaces(t.conn, otherStaff, { archived: false, query: 'visits' });
    if (!active.ok) throw new Error(active.error);
    expect(active.value.spaces).toEqual([]);

    expect((await restoreSpace(t.conn, otherStaff, spaceId)).ok).toBe(true);
    const after = await listAllSpaces(t.conn, otherStaff, { archived: false, query: 'visits' });
    if (!after.ok) throw new Error(after.error);
    expect(after.value.spaces.map((s) => [s.id, s.archivedAt])).toEqual([[spaceId, null]]);
  });

  it('refuses members, owners included, and affiliates', async () => {
    await space(t.conn, staff, owner, 'Owned by a member');
    const affiliate = await person(t.conn, 'affiliate');
    expect(await listAllSpaces(t.conn, owner, {})).toEqual({ ok: false, error: 'forbidden' });
    expect(await listAllSpaces(t.conn, affiliate, {})).toEqual({ ok: false, error: 'forbidden' });
    expect(await listAllSpaces(t.conn, { ...staff, disabled: true }, {})).toEqual({
      ok: false,
      error: 'forbidden',
    });
  });

  it('pages newest first and matches the search literally', async () => {
    for (let i = 0; i < STAFF_SPACE_PAGE_SIZE + 2; i += 1) {
      await space(t.conn, staff, undefined, `Paged space ${String(i).padStart(2, '0')}`);
    }
    const first = await listAllSpaces(t.conn, staff, { query: 'paged space' });
    const second = await listAllSpaces(t.conn, staff, { query: 'paged space', page: 2 });
    if (!first.ok || !second.ok) throw new Error('refused');
    expect(first.value.total).toBe(STAFF_SPACE_PAGE_SIZE + 2);
    expect(first.value.spaces).toHaveLength(STAFF_SPACE_PAGE_SIZE);
    expect(second.value.spaces.map((s) => s.title)).toEqual(['Paged space 01', 'Paged space 00']);
    const literal = await listAllSpaces(t.conn, staff, { query: '.*' });
    if (!literal.ok) throw new Error(literal.error);
    expect(literal.value.total).toBe(0);
  });

  it('throws ZodError on invalid input', async () => {
    await expect(listAllSpaces(t.conn, staff, { page: 0 })).rejects.toBeInstanceOf(ZodError);
    await expect(listAllSpaces(t.conn, staff, { query: 'x'.repeat(201) })).rejects.toBeInstanceOf(ZodError);
  });
});
