/**
 * Spaces and who sees them: staff create, members do not; a person's role is the highest of their own and
 * their organisation's membership; people outside a space get `not-found`, never `forbidden`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/accounts/audit';
import { documentAccessOf, spaceAccessOf } from '../../src/spaces/access';
import { createDocument } from '../../src/spaces/documents';
import { addMember, changeRole } from '../../src/spaces/members';
import { createSpace, getSpace, listSpacesFor, updateSpace } from '../../src/spaces/spaces';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';
import { organisation, person, space, type TestPerson } from './fixtures';

let t: MongooseTestDatabase;
let staff: TestPerson;

beforeAll(async () => {
  t = await startMongooseDatabase();
  staff = await person(t.conn, 'staff');
});
afterAll(async () => {
  await t?.close();
});

describe('createSpace', () => {
  it('lets staff create a space, owned by the creator, and audits it', async () => {
    const created = await createSpace(t.conn, staff, {
      title: '  Children’s voices  ',
      kind: 'project',
      countries: ['fr', 'IT', 'FR'],
      languages: ['EN', 'fr'],
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const view = await getSpace(t.conn, staff, created.value.id);
    expect(view).toMatchObject({
      ok: true,
      value: {
        title: 'Children’s voices',
        kind: 'project',
        countries: ['FR', 'IT'],
        languages: ['en', 'fr'],
        role: 'owner',
      },
    });
    const audit = await listAuditEvents(t.conn, { action: 'space.create' });
    expect(audit.some((e) => e.subject?.id === created.value.id)).toBe(true);
  });

  it('makes a named person the first owner; the staff creator is then not a member', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    expect((await spaceAccessOf(t.conn, owner.userId, id))?.role).toBe('owner');
    expect(await spaceAccessOf(t.conn, staff.userId, id)).toBeNull();
    expect(await getSpace(t.conn, staff, id)).toEqual({ ok: false, error: 'not-found' });
  });

  it('refuses members, unknown owners, affiliates as owners, and bad input', async () => {
    const member = await person(t.conn);
    const affiliate = await person(t.conn, 'affiliate');
    expect(await createSpace(t.conn, member, { title: 'Mine', kind: 'project' })).toEqual({
      ok: false,
      error: 'forbidden',
    });
    expect(
      await createSpace(t.conn, staff, { title: 'X', kind: 'project', ownerEmail: 'nobody@example.org' }),
    ).toEqual({ ok: false, error: 'unknown-person' });
    expect(
      await createSpace(t.conn, staff, { title: 'X', kind: 'project', ownerEmail: affiliate.email }),
    ).toEqual({
      ok: false,
      error: 'not-eligible',
    });
    await expect(createSpace(t.conn, staff, { title: '', kind: 'project' })).rejects.toThrow();
    await expect(
      createSpace(t.conn, staff, { title: 'X', kind: 'circus' as 'project', countries: ['ZZ'] }),
    ).rejects.toThrow();
  });
});

describe('roles', () => {
  it('reaches every contact of a member organisation, and the highest role wins', async () => {
    const owner = await person(t.conn);
    const orgId = await organisation(t.conn, 'Partner NGO');
    const contact = await person(t.conn, 'member', { organisationId: orgId });
    const id = await space(t.conn, staff, owner);

    expect(await getSpace(t.conn, contact, id)).toEqual({ ok: false, error: 'not-found' });
    const orgMember = await addMember(t.conn, owner, id, { organisationId: orgId, role: 'viewer' });
    expect(orgMember.ok).toBe(true);
    expect((await spaceAccessOf(t.conn, contact.userId, id))?.role).toBe('viewer');

    // A later contact of the organisation is in the space too.
    const newcomer = await person(t.conn, 'member', { organisationId: orgId });
    expect((await spaceAccessOf(t.conn, newcomer.userId, id))?.role).toBe('viewer');

    const own = await addMember(t.conn, owner, id, { email: contact.email, role: 'editor' });
    expect(own.ok).toBe(true);
    expect((await spaceAccessOf(t.conn, contact.userId, id))?.role).toBe('editor');

    // The organisation raised above the person's own role: the higher still wins.
    if (!orgMember.ok) return;
    await changeRole(t.conn, owner, id, orgMember.value.id, { role: 'owner' });
    expect((await spaceAccessOf(t.conn, contact.userId, id))?.role).toBe('owner');
    expect((await listSpacesFor(t.conn, contact.userId)).map((s) => [s.id, s.role])).toEqual([[id, 'owner']]);
  });

  it('hides spaces and their documents from people outside, and refuses members without the capability', async () => {
    const owner = await person(t.conn);
    const viewer = await person(t.conn);
    const outsider = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    await addMember(t.conn, owner, id, { email: viewer.email, role: 'viewer' });
    const doc = await createDocument(t.conn, owner, { spaceId: id, title: 'Plan', template: 'project-plan' });
    if (!doc.ok) throw new Error(doc.error);

    expect(await getSpace(t.conn, outsider, id)).toEqual({ ok: false, error: 'not-found' });
    expect(await documentAccessOf(t.conn, outsider.userId, doc.value.id)).toBeNull();
    expect(await listSpacesFor(t.conn, outsider.userId)).toEqual([]);
    expect(await updateSpace(t.conn, outsider, id, { title: 'Mine now' })).toEqual({
      ok: false,
      error: 'not-found',
    });
    expect(await updateSpace(t.conn, viewer, id, { title: 'Mine now' })).toEqual({
      ok: false,
      error: 'forbidden',
    });
    expect(await getSpace(t.conn, outsider, 'not-an-id')).toEqual({ ok: false, error: 'not-found' });

    expect(await documentAccessOf(t.conn, viewer.userId, doc.value.id)).toEqual({
      spaceId: id,
      documentId: doc.value.id,
      role: 'viewer',
      archived: false,
      trashed: false,
    });
  });
});
