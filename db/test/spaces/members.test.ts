/**
 * Membership changes: owners add people (existing accounts only) and organisations, change roles and
 * remove; anyone leaves; the last owner stays; each change is audited and announced on the access bus.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/accounts/audit';
import { spaceAccessOf } from '../../src/spaces/access';
import { onSpaceAccessChange, type SpaceAccessChange } from '../../src/spaces/access-events';
import { addMember, changeRole, leaveSpace, listMembers, removeMember } from '../../src/spaces/members';
import { publishOrganisationContactChange } from '../../src/spaces/organisation-changes';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';
import { organisation, person, space, type TestPerson } from './fixtures';

let t: MongooseTestDatabase;
let staff: TestPerson;
const events: SpaceAccessChange[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  t = await startMongooseDatabase();
  staff = await person(t.conn, 'staff');
  unsubscribe = onSpaceAccessChange((change) => events.push(change));
});
afterAll(async () => {
  unsubscribe();
  await t?.close();
});
afterEach(() => {
  events.length = 0;
});

async function added(r: Awaited<ReturnType<typeof addMember>>): Promise<string> {
  if (!r.ok) throw new Error(`addMember refused: ${r.error}`);
  return Promise.resolve(r.value.id);
}

describe('adding members', () => {
  it('adds an existing account by email and announces it; refuses unknown emails, affiliates and duplicates', async () => {
    const owner = await person(t.conn);
    const editor = await person(t.conn);
    const affiliate = await person(t.conn, 'affiliate');
    const id = await space(t.conn, staff, owner);

    const r = await addMember(t.conn, owner, id, { email: editor.email.toUpperCase(), role: 'editor' });
    expect(r).toMatchObject({ ok: true, value: { kind: 'user', userId: editor.userId, role: 'editor' } });
    expect(events).toEqual([{ spaceId: id, userIds: [editor.userId] }]);

    expect(await addMember(t.conn, owner, id, { email: editor.email, role: 'viewer' })).toEqual({
      ok: false,
      error: 'already-member',
    });
    expect(await addMember(t.conn, owner, id, { email: 'nobody@example.org', role: 'viewer' })).toEqual({
      ok: false,
      error: 'unknown-person',
    });
    expect(await addMember(t.conn, owner, id, { email: affiliate.email, role: 'viewer' })).toEqual({
      ok: false,
      error: 'not-eligible',
    });
    expect(
      await addMember(t.conn, owner, id, { organisationId: '0123456789abcdef01234567', role: 'viewer' }),
    ).toEqual({ ok: false, error: 'unknown-organisation' });
    // Editors do not manage members; outsiders do not even see the space.
    const outsider = await person(t.conn);
    expect(await addMember(t.conn, editor, id, { email: outsider.email, role: 'owner' })).toEqual({
      ok: false,
      error: 'forbidden',
    });
    expect(await addMember(t.conn, outsider, id, { email: outsider.email, role: 'owner' })).toEqual({
      ok: false,
      error: 'not-found',
    });
    const audit = await listAuditEvents(t.conn, { action: 'space.member.add' });
    expect(audit.filter((e) => e.subject?.id === id)).toHaveLength(1);
  });

  it('lists people and organisations with their names, owners first', async () => {
    const owner = await person(t.conn, 'member', { name: 'Zoë Owner' });
    const orgId = await organisation(t.conn, 'Alpha Association');
    const id = await space(t.conn, staff, owner);
    await addMember(t.conn, owner, id, { organisationId: orgId, role: 'commenter' });
    const list = await listMembers(t.conn, owner, id);
    expect(list.ok && list.value.map((m) => [m.kind, m.name, m.role])).toEqual([
      ['user', 'Zoë Owner', 'owner'],
      ['organisation', 'Alpha Association', 'commenter'],
    ]);
    expect(events.at(-1)).toEqual({ spaceId: id, userIds: 'all' });
  });
});

describe('roles, removal and leaving', () => {
  it('keeps the last owner: no demotion, removal or leaving', async () => {
    const owner = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const members = await listMembers(t.conn, owner, id);
    const ownerMembership = members.ok ? members.value[0]?.id : undefined;
    if (ownerMembership === undefined) throw new Error('no owner membership');

    expect(await changeRole(t.conn, owner, id, ownerMembership, { role: 'editor' })).toEqual({
      ok: false,
      error: 'last-owner',
    });
    expect(await removeMember(t.conn, staff, id, ownerMembership)).toEqual({
      ok: false,
      error: 'last-owner',
    });
    expect(await leaveSpace(t.conn, owner, id)).toEqual({ ok: false, error: 'last-owner' });
    expect(events).toEqual([]);

    // With a second owner, the first may go.
    const second = await person(t.conn);
    await added(await addMember(t.conn, owner, id, { email: second.email, role: 'owner' }));
    expect(await leaveSpace(t.conn, owner, id)).toMatchObject({ ok: true });
    expect(await spaceAccessOf(t.conn, owner.userId, id)).toBeNull();
    expect(events.at(-1)).toEqual({ spaceId: id, userIds: [owner.userId] });
    expect(
      (await listAuditEvents(t.conn, { action: 'space.member.leave' })).some((e) => e.subject?.id === id),
    ).toBe(true);
  });

  it('changes roles and removes members, audited and announced to the person concerned', async () => {
    const owner = await person(t.conn);
    const editor = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    const memberId = await added(await addMember(t.conn, owner, id, { email: editor.email, role: 'editor' }));
    events.length = 0;

    expect(await changeRole(t.conn, owner, id, memberId, { role: 'viewer' })).toEqual({
      ok: true,
      value: { id: memberId, role: 'viewer' },
    });
    expect((await spaceAccessOf(t.conn, editor.userId, id))?.role).toBe('viewer');
    const roleAudit = await listAuditEvents(t.conn, { action: 'space.member.role.change' });
    expect(roleAudit.find((e) => e.subject?.id === id)?.details).toMatchObject({
      from: 'editor',
      to: 'viewer',
    });

    expect(await removeMember(t.conn, owner, id, memberId)).toEqual({ ok: true, value: { id: memberId } });
    expect(await spaceAccessOf(t.conn, editor.userId, id)).toBeNull();
    expect(events).toEqual([
      { spaceId: id, userIds: [editor.userId] },
      { spaceId: id, userIds: [editor.userId] },
    ]);
    expect(await removeMember(t.conn, owner, id, memberId)).toEqual({ ok: false, error: 'not-found' });
    expect(await changeRole(t.conn, owner, id, 'nope', { role: 'viewer' })).toEqual({
      ok: false,
      error: 'not-found',
    });
  });

  it('does not let a person leave alone when they are in the space through their organisation', async () => {
    const owner = await person(t.conn);
    const orgId = await organisation(t.conn);
    const contact = await person(t.conn, 'member', { organisationId: orgId });
    const id = await space(t.conn, staff, owner);
    await addMember(t.conn, owner, id, { organisationId: orgId, role: 'editor' });
    expect(await leaveSpace(t.conn, contact, id)).toEqual({ ok: false, error: 'organisation-membership' });
  });

  it('lets staff manage members of a space they are not in, without seeing its content', async () => {
    const owner = await person(t.conn);
    const other = await person(t.conn);
    const id = await space(t.conn, staff, owner);
    expect((await addMember(t.conn, staff, id, { email: other.email, role: 'viewer' })).ok).toBe(true);
    expect((await listMembers(t.conn, staff, id)).ok).toBe(true);
  });
});

describe('organisation contacts', () => {
  it('announces a contact change in every space the organisation is in', async () => {
    const owner = await person(t.conn);
    const orgId = await organisation(t.conn);
    const first = await space(t.conn, staff, owner);
    const second = await space(t.conn, staff, owner);
    await addMember(t.conn, owner, first, { organisationId: orgId, role: 'viewer' });
    await addMember(t.conn, owner, second, { organisationId: orgId, role: 'editor' });
    events.length = 0;
    await publishOrganisationContactChange(t.conn, orgId, owner.userId);
    expect(events.map((e) => e.spaceId).sort()).toEqual([first, second].sort());
    expect(events.every((e) => e.userIds !== 'all' && e.userIds[0] === owner.userId)).toBe(true);
  });
});
