/**
 * The spaces HTTP API through the real server (HTTP only, no browser): staff create spaces and members do
 * not; people outside a space get 404 for it and everything in it; the contract's shapes (201 {id}).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useApp } from './harness/fixture';
import { apiClient, expectError as errorCode, expectJson as body } from './harness/http-api';

const app = useApp();
const { call: api, person } = apiClient(app);

void describe('spaces API', () => {
  void test('staff create spaces, members cannot; outsiders get 404 for the space and its documents', async () => {
    const staff = await person('staff');
    const owner = await person('member', 'Olga Owner');
    const outsider = await person('member', 'Otto Outsider');

    assert.equal(await api('/spaces').then((r) => r.status), 401);
    const refused = await api('/spaces', {
      method: 'POST',
      cookie: owner.cookie,
      json: { title: 'Mine', kind: 'project' },
    });
    assert.equal(await errorCode(refused, 403), 'forbidden');
    const invalid = await api('/spaces', {
      method: 'POST',
      cookie: staff.cookie,
      json: { title: '', kind: 'circus' },
    });
    assert.equal(await errorCode(invalid, 422), 'invalid_input');

    const created = await body<{ id: string }>(
      await api('/spaces', {
        method: 'POST',
        cookie: staff.cookie,
        json: {
          title: 'Family ties study',
          kind: 'research-study',
          countries: ['fr', 'it'],
          ownerEmail: owner.email,
        },
      }),
      201,
    );
    assert.match(created.id, /^[0-9a-f]{24}$/);
    const spaceId = created.id;

    const mine = await body<{ spaces: { id: string; role: string; countries: string[] }[] }>(
      await api('/spaces', { cookie: owner.cookie }),
      200,
    );
    assert.deepEqual(
      mine.spaces.map((s) => [s.id, s.role, s.countries]),
      [[spaceId, 'owner', ['FR', 'IT']]],
    );

    const doc = await body<{ id: string }>(
      await api(`/spaces/${spaceId}/documents`, {
        method: 'POST',
        cookie: owner.cookie,
        json: { title: 'Protocol', template: 'research-protocol' },
      }),
      201,
    );

    // Outsiders: the same 404 as for a space that does not exist, for every read and write.
    const unknown = '0123456789abcdef01234567';
    for (const [path, init] of [
      [`/spaces/${spaceId}`, {}],
      [`/spaces/${unknown}`, {}],
      [`/spaces/${spaceId}/members`, {}],
      [`/spaces/${spaceId}/documents`, {}],
      [`/spaces/${spaceId}/trash`, {}],
      [`/spaces/${spaceId}`, { method: 'PATCH', json: { title: 'Taken' } }],
      [`/spaces/${spaceId}/members`, { method: 'POST', json: { email: outsider.email, role: 'owner' } }],
      [`/spaces/${spaceId}/documents`, { method: 'POST', json: { title: 'Sneaky' } }],
      [`/spaces/${spaceId}/leave`, { method: 'POST' }],
      [`/documents/${doc.id}`, {}],
      [`/documents/${doc.id}`, { method: 'PATCH', json: { title: 'Renamed' } }],
      [`/documents/${doc.id}`, { method: 'DELETE' }],
      [`/documents/${doc.id}/restore`, { method: 'POST' }],
    ] as const) {
      const response = await api(path, { ...init, cookie: outsider.cookie });
      assert.equal(await errorCode(response, 404), 'not_found', `${init.method ?? 'GET'} ${path}`);
    }
    const outsiderSpaces = await body<{ spaces: unknown[] }>(
      await api('/spaces', { cookie: outsider.cookie }),
      200,
    );
    assert.deepEqual(outsiderSpaces.spaces, []);
  });

  void test('members, roles, documents, trash and archive through the API', async () => {
    const staff = await person('staff');
    const owner = await person('member', 'Olga Owner');
    const viewer = await person('member', 'Vera Viewer');
    const { id: spaceId } = await body<{ id: string }>(
      await api('/spaces', {
        method: 'POST',
        cookie: staff.cookie,
        json: { title: 'Working group', kind: 'working-group', ownerEmail: owner.email },
      }),
      201,
    );

    const added = await body<{ id: string; member: { role: string; name: string } }>(
      await api(`/spaces/${spaceId}/members`, {
        method: 'POST',
        cookie: owner.cookie,
        json: { email: viewer.email, role: 'viewer' },
      }),
      201,
    );
    assert.deepEqual(added.member, { ...added.member, role: 'viewer', name: 'Vera Viewer' });
    const unknownPerson = await api(`/spaces/${spaceId}/members`, {
      method: 'POST',
      cookie: owner.cookie,
      json: { email: 'nobody@example.org', role: 'viewer' },
    });
    assert.equal(await errorCode(unknownPerson, 422), 'unknown_person');

    // A viewer reads but does not write.
    const space = await body<{ space: { role: string; title: string } }>(
      await api(`/spaces/${spaceId}`, { cookie: viewer.cookie }),
      200,
    );
    assert.equal(space.space.role, 'viewer');
    const viewerCreates = await api(`/spaces/${spaceId}/documents`, {
      method: 'POST',
      cookie: viewer.cookie,
      json: { title: 'No' },
    });
    assert.equal(await errorCode(viewerCreates, 403), 'forbidden');

    // The last owner cannot leave; a viewer can.
    assert.equal(
      await errorCode(await api(`/spaces/${spaceId}/leave`, { method: 'POST', cookie: owner.cookie }), 409),
      'last_owner',
    );

    const folder = await body<{ id: string }>(
      await api(`/spaces/${spaceId}/folders`, {
        method: 'POST',
        cookie: owner.cookie,
        json: { title: 'Minutes' },
      }),
      201,
    );
    const doc = await body<{ id: string }>(
      await api(`/spaces/${spaceId}/documents`, {
        method: 'POST',
        cookie: owner.cookie,
        json: { title: 'Kick-off', template: 'meeting-notes', parentId: folder.id },
      }),
      201,
    );
    const cycle = await api(`/documents/${folder.id}`, {
      method: 'PATCH',
      cookie: owner.cookie,
      json: { parentId: folder.id },
    });
    assert.equal(await errorCode(cycle, 422), 'cycle');
    const renamed = await body<{ node: { title: string; parentId: string | null } }>(
      await api(`/documents/${doc.id}`, {
        method: 'PATCH',
        cookie: owner.cookie,
        json: { title: 'Kick-off meeting', parentId: null },
      }),
      200,
    );
    assert.deepEqual(renamed.node, { ...renamed.node, title: 'Kick-off meeting', parentId: null });

    const trashed = await api(`/documents/${folder.id}`, { method: 'DELETE', cookie: owner.cookie });
    assert.equal(trashed.status, 200);
    const trash = await body<{ trash: { id: string; purgeAt: string; trashedAt: string }[] }>(
      await api(`/spaces/${spaceId}/trash`, { cookie: viewer.cookie }),
      200,
    );
    assert.deepEqual(
      trash.trash.map((t) => t.id),
      [folder.id],
    );
    const days =
      (Date.parse(trash.trash[0]?.purgeAt ?? '') - Date.parse(trash.trash[0]?.trashedAt ?? '')) / 86_400_000;
    assert.equal(days, 30);
    assert.equal(
      (await api(`/documents/${folder.id}/restore`, { method: 'POST', cookie: owner.cookie })).status,
      200,
    );
    const tree = await body<{ nodes: { id: string; type: string }[] }>(
      await api(`/spaces/${spaceId}/documents`, { cookie: viewer.cookie }),
      200,
    );
    assert.deepEqual(
      tree.nodes.map((n) => [n.id, n.type]),
      [
        [folder.id, 'folder'],
        [doc.id, 'document'],
      ],
    );

    // Archive: read-only for everyone; owners cannot restore, staff can.
    assert.equal(
      (await api(`/spaces/${spaceId}/archive`, { method: 'POST', cookie: owner.cookie })).status,
      200,
    );
    const afterArchive = await api(`/documents/${doc.id}`, {
      method: 'PATCH',
      cookie: owner.cookie,
      json: { title: 'Late' },
    });
    assert.equal(await errorCode(afterArchive, 409), 'archived');
    assert.equal(
      await errorCode(await api(`/spaces/${spaceId}/restore`, { method: 'POST', cookie: owner.cookie }), 403),
      'forbidden',
    );
    assert.equal(
      (await api(`/spaces/${spaceId}/restore`, { method: 'POST', cookie: staff.cookie })).status,
      200,
    );

    // Removing the viewer: 204, and the space is gone for them.
    const members = await body<{ members: { id: string; email: string | null }[] }>(
      await api(`/spaces/${spaceId}/members`, { cookie: owner.cookie }),
      200,
    );
    const membership = members.members.find((m) => m.email === viewer.email);
    assert.ok(membership);
    const demoted = await body<{ member: { role: string } }>(
      await api(`/spaces/${spaceId}/members/${membership.id}`, {
        method: 'PATCH',
        cookie: owner.cookie,
        json: { role: 'commenter' },
      }),
      200,
    );
    assert.equal(demoted.member.role, 'commenter');
    assert.equal(
      (await api(`/spaces/${spaceId}/members/${membership.id}`, { method: 'DELETE', cookie: owner.cookie }))
        .status,
      204,
    );
    assert.equal(
      await errorCode(await api(`/spaces/${spaceId}`, { cookie: viewer.cookie }), 404),
      'not_found',
    );
  });

  void test('bad bodies change nothing and name the problem', async () => {
    const staff = await person('staff');
    const notJson = await api('/spaces', {
      method: 'POST',
      cookie: staff.cookie,
      body: '{"title":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(await errorCode(notJson, 400), 'invalid_json');
    const wrongMember = await api('/spaces/0123456789abcdef01234567/members', {
      method: 'POST',
      cookie: staff.cookie,
      json: { email: 'a@example.org', organisationId: '0123456789abcdef01234567', role: 'king' },
    });
    assert.equal(await errorCode(wrongMember, 422), 'invalid_input');
    const mine = await body<{ spaces: unknown[] }>(await api('/spaces', { cookie: staff.cookie }), 200);
    assert.deepEqual(mine.spaces, []);
  });
});
