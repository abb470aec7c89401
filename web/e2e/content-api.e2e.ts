/**
 * The document versions, export and channels HTTP APIs through the real server (no browser): who may read,
 * name and restore versions, export, list, create and search channels, and the shapes clients rely on.
 * Live messages themselves go over socket.io and are tested in realtime/test and channels.e2e.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as Y from 'yjs';
import { useApp } from './harness/fixture';
import { apiClient, expectError, expectJson, type ApiPerson } from './harness/http-api';

const app = useApp();
const client = apiClient(app);
const call = client.call;

interface Setup {
  owner: ApiPerson;
  viewer: ApiPerson;
  outsider: ApiPerson;
  spaceId: string;
  documentId: string;
}

async function setUp(): Promise<Setup> {
  const staff = await client.person('staff');
  const owner = await client.person('member', 'Olga Owner');
  const viewer = await client.person('member', 'Vera Viewer');
  const outsider = await client.person('member', 'Otto Outsider');
  const { id: spaceId } = await expectJson<{ id: string }>(
    await call('/spaces', {
      method: 'POST',
      cookie: staff.cookie,
      json: { title: 'Visits study', kind: 'research-study', ownerEmail: owner.email },
    }),
    201,
  );
  await expectJson(
    await call(`/spaces/${spaceId}/members`, {
      method: 'POST',
      cookie: owner.cookie,
      json: { email: viewer.email, role: 'viewer' },
    }),
    201,
  );
  const { id: documentId } = await expectJson<{ id: string }>(
    await call(`/spaces/${spaceId}/documents`, {
      method: 'POST',
      cookie: owner.cookie,
      json: { title: 'Protocol', template: 'research-protocol' },
    }),
    201,
  );
  return { owner, viewer, outsider, spaceId, documentId };
}

/** The text of a document's rich-text fragment, from a full Yjs update. */
function textOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getXmlFragment('default').toJSON();
}

void describe('document versions and export', () => {
  void test('members read versions, editors name and restore them, outsiders get 404', async () => {
    const { owner, viewer, outsider, documentId } = await setUp();
    const base = `/documents/${documentId}/versions`;

    assert.equal((await call(base)).status, 401);
    assert.equal(await expectError(await call(base, { cookie: outsider.cookie }), 404), 'not_found');
    const named = await call(base, { method: 'POST', cookie: viewer.cookie, json: { name: 'Mine' } });
    assert.equal(named.status, 403);
    const invalid = await call(base, { method: 'POST', cookie: owner.cookie, json: { name: '' } });
    assert.equal(await expectError(invalid, 422), 'invalid_input');

    const { version } = await expectJson<{ version: { id: string; name: string } }>(
      await call(base, { method: 'POST', cookie: owner.cookie, json: { name: 'Before the review' } }),
      201,
    );
    assert.equal(version.name, 'Before the review');

    const listed = await expectJson<{ versions: { id: string; name: string | null }[] }>(
      await call(base, { cookie: viewer.cookie }),
      200,
    );
    assert.ok(listed.versions.some((v) => v.id === version.id && v.name === 'Before the review'));

    // Its content, as base64 JSON and as raw bytes: the template's headings are there.
    const opened = await expectJson<{ state: string }>(
      await call(`${base}/${version.id}`, { cookie: viewer.cookie }),
      200,
    );
    const fromJson = textOf(Buffer.from(opened.state, 'base64'));
    assert.match(fromJson, /<heading/);
    const raw = await call(`${base}/${version.id}`, {
      cookie: viewer.cookie,
      headers: { accept: 'application/octet-stream' },
    });
    assert.equal(raw.headers.get('content-type'), 'application/octet-stream');
    assert.equal(textOf(new Uint8Array(await raw.arrayBuffer())), fromJson);

    const unknown = '0123456789abcdef01234567';
    assert.equal((await call(`${base}/${unknown}`, { cookie: viewer.cookie })).status, 404);
    assert.equal(
      (await call(`${base}/${version.id}/restore`, { method: 'POST', cookie: viewer.cookie })).status,
      403,
    );
    const restored = await call(`${base}/${version.id}/restore`, { method: 'POST', cookie: owner.cookie });
    assert.equal(restored.status, 200, await restored.clone().text());
  });

  void test('versions come in pages: limit and next reach every version once, a bad query is 422', async () => {
    const { owner, viewer, documentId } = await setUp();
    const base = `/documents/${documentId}/versions`;
    const names = ['First', 'Second', 'Third', 'Fourth', 'Fifth'];
    for (const name of names) {
      await expectJson(await call(base, { method: 'POST', cookie: owner.cookie, json: { name } }), 201);
    }

    interface Page {
      versions: { id: string; name: string | null; createdAt: string }[];
      next: string | null;
    }
    const all = await expectJson<Page>(await call(base, { cookie: viewer.cookie }), 200);
    assert.equal(all.next, null);
    const pages: Page[] = [];
    let before: string | null = null;
    do {
      const query: string = `?limit=2${before === null ? '' : `&before=${encodeURIComponent(before)}`}`;
      const page: Page = await expectJson<Page>(
        await call(`${base}${query}`, { cookie: viewer.cookie }),
        200,
      );
      assert.ok(page.versions.length <= 2);
      pages.push(page);
      before = page.next;
    } while (before !== null && pages.length < 20);
    const paged = pages.flatMap((page) => page.versions.map((v) => v.id));
    assert.deepEqual(
      paged,
      all.versions.map((v) => v.id),
    );
    assert.equal(pages.length, Math.ceil(all.versions.length / 2));
    // Newest first: the last named is on the first page.
    assert.equal(pages[0]?.versions[0]?.name, 'Fifth');
    assert.ok(names.every((name) => all.versions.some((v) => v.name === name)));

    const refused = async (query: string, field: string) => {
      const response = await call(`${base}${query}`, { cookie: viewer.cookie });
      const body = await expectJson<{ error: { code: string; details: { path: string }[] } }>(response, 422);
      assert.equal(body.error.code, 'invalid_input');
      assert.ok(
        body.error.details.some((detail) => detail.path === field),
        JSON.stringify(body),
      );
    };
    await refused('?before=not-a-cursor', 'before');
    await refused(`?before=${'0'.repeat(35)}z`, 'before');
    await refused('?limit=0', 'limit');
    await refused('?limit=201', 'limit');
    await refused('?limit=many', 'limit');

    // The OpenAPI document describes the paging.
    const openapi = await expectJson<{
      paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(await call('/openapi.json'), 200);
    const parameters = openapi.paths['/documents/{id}/versions']?.get?.parameters ?? [];
    assert.deepEqual(
      parameters.filter((p) => p.in === 'query').map((p) => p.name),
      ['before', 'limit'],
    );
    assert.ok('next' in (openapi.components.schemas.DocumentVersionList?.properties ?? {}));
  });

  void test('export in the three formats for readers, 404 for outsiders, 422 for an unknown format', async () => {
    const { viewer, outsider, documentId } = await setUp();
    const path = (format: string) => `/documents/${documentId}/export?format=${format}`;

    const markdown = await call(path('md'), { cookie: viewer.cookie });
    assert.equal(markdown.status, 200);
    assert.match(markdown.headers.get('content-disposition') ?? '', /Protocol/);
    assert.match(await markdown.text(), /^#{1,3} /m);
    const html = await call(path('html'), { cookie: viewer.cookie });
    assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await html.text(), /<h[1-3]>/);
    const docx = await call(path('docx'), { cookie: viewer.cookie });
    assert.equal(docx.status, 200);
    // A DOCX file is a ZIP archive.
    assert.equal(
      Buffer.from(await docx.arrayBuffer())
        .subarray(0, 2)
        .toString('latin1'),
      'PK',
    );

    assert.equal((await call(path('md'), { cookie: outsider.cookie })).status, 404);
    assert.equal((await call(path('pdf'), { cookie: viewer.cookie })).status, 422);
  });
});

void describe('channels over HTTP', () => {
  void test('a space’s channels for its members only; owners create, viewers cannot; search', async () => {
    const { owner, viewer, outsider, spaceId } = await setUp();

    const listed = await expectJson<{ channels: { id: string; name: string }[] }>(
      await call(`/channels?spaceId=${spaceId}`, { cookie: viewer.cookie }),
      200,
    );
    const general = listed.channels.find((c) => c.name === 'general');
    assert.ok(general, 'every space has a general channel');
    assert.equal((await call(`/channels?spaceId=${spaceId}`, { cookie: outsider.cookie })).status, 404);
    assert.equal((await call(`/channels?spaceId=${spaceId}`)).status, 401);

    const history = await expectJson<{ messages: unknown[] }>(
      await call(`/channels/${general.id}/messages`, { cookie: viewer.cookie }),
      200,
    );
    assert.deepEqual(history.messages, []);
    assert.equal((await call(`/channels/${general.id}/messages`, { cookie: outsider.cookie })).status, 404);

    const refused = await call('/channels', {
      method: 'POST',
      cookie: viewer.cookie,
      json: { spaceId, name: 'fieldwork' },
    });
    assert.equal(refused.status, 403);
    const created = await expectJson<{ channel: { id: string; name: string } }>(
      await call('/channels', { method: 'POST', cookie: owner.cookie, json: { spaceId, name: 'fieldwork' } }),
      201,
    );
    assert.equal(created.channel.name, 'fieldwork');
    const invalid = await call('/channels', { method: 'POST', cookie: owner.cookie, json: { spaceId } });
    assert.equal(await expectError(invalid, 422), 'invalid_input');

    const search = await call(`/channels/search?q=${encodeURIComponent('visit')}`, { cookie: viewer.cookie });
    assert.equal(search.status, 200, await search.clone().text());
    assert.equal((await call('/channels/search?q=', { cookie: viewer.cookie })).status, 422);
  });

  void test('network channels and direct conversations', async () => {
    const { owner, viewer } = await setUp();
    const network = await expectJson<{ channels: { name: string }[] }>(
      await call('/channels', { cookie: viewer.cookie }),
      200,
    );
    const names = network.channels.map((c) => c.name);
    assert.ok(names.includes('announcements') && names.includes('network'), names.join(', '));

    const first = await expectJson<{ channel: { id: string } }>(
      await call('/channels/direct', {
        method: 'POST',
        cookie: owner.cookie,
        json: { userIds: [viewer.id] },
      }),
      200,
    );
    const again = await expectJson<{ channel: { id: string } }>(
      await call('/channels/direct', {
        method: 'POST',
        cookie: viewer.cookie,
        json: { userIds: [owner.id] },
      }),
      200,
    );
    assert.equal(again.channel.id, first.channel.id, 'the same two people always get the same conversation');
  });
});
