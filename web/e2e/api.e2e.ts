import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAccount } from './harness/accounts';
import { useApp } from './harness/fixture';

const app = useApp();

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

function api(path: string, init: RequestInit & { cookie?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.cookie !== undefined) headers.set('cookie', init.cookie);
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return fetch(`${app.baseUrl}/api/v1${path}`, { ...init, headers, redirect: 'manual' });
}

/** `name=value` of the session cookie from a response, for the next request. */
function sessionCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('cope_session='));
  assert.ok(cookie, 'a session cookie is set');
  return cookie.split(';')[0] ?? '';
}

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  const body = (await response.json()) as ErrorBody;
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

void describe('JSON API /api/v1', () => {
  void test('session: sign in sets the cookie, /me answers, sign-out ends the session', async () => {
    const member = await createAccount(app, 'member', 'Mira Member');
    const created = await api('/session', {
      method: 'POST',
      body: JSON.stringify({ email: member.email.toUpperCase(), password: member.password }),
    });
    assert.equal(created.status, 201);
    const cookie = sessionCookieOf(created);
    const attributes = created.headers.getSetCookie().join('\n');
    for (const attribute of [/; HttpOnly/, /; SameSite=Lax/, /; Path=\//])
      assert.match(attributes, attribute);
    const { user } = (await created.json()) as {
      user: { email: string; networkRole: string; capabilities: string[] };
    };
    assert.equal(user.email, member.email);
    assert.equal(user.networkRole, 'member');
    assert.ok(user.capabilities.includes('directory.read'));
    assert.ok(!user.capabilities.includes('admin.invitations.manage'));

    const me = await api('/me', { cookie });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { user: { name: string } }).user.name, 'Mira Member');

    const ended = await api('/session', { method: 'DELETE', cookie });
    assert.equal(ended.status, 204);
    const after = await api('/me', { cookie });
    assert.equal(after.status, 401);
    assert.equal((await errorOf(after)).code, 'unauthenticated');
  });

  void test('refusals: wrong password 401, bad JSON 400, bad shape 422, lockout 429 with Retry-After', async () => {
    const member = await createAccount(app, 'member');
    const badJson = await api('/session', { method: 'POST', body: '{"email":' });
    assert.equal(badJson.status, 400);
    assert.equal((await errorOf(badJson)).code, 'invalid_json');

    const badShape = await api('/session', { method: 'POST', body: JSON.stringify({ email: 'nope' }) });
    assert.equal(badShape.status, 422);
    const shapeError = await errorOf(badShape);
    assert.equal(shapeError.code, 'invalid_input');
    assert.deepEqual(shapeError.details?.map((detail) => detail.path).sort(), ['email', 'password']);

    let last: Response | undefined;
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      last = await api('/session', {
        method: 'POST',
        body: JSON.stringify({ email: member.email, password: `wrong ${attempt}` }),
      });
      if (attempt < 5) {
        assert.equal(last.status, 401);
        assert.equal((await errorOf(last)).code, 'invalid_credentials');
      }
    }
    assert.equal(last?.status, 429);
    const retryAfter = Number(last?.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
    const right = await api('/session', {
      method: 'POST',
      body: JSON.stringify({ email: member.email, password: member.password }),
    });
    assert.equal(right.status, 429, 'even the right password is refused while locked');
    assert.equal((await errorOf(right)).code, 'too_many_attempts');
  });

  void test('a request from another Origin is refused; the same origin is accepted', async () => {
    const member = await createAccount(app, 'member');
    const body = JSON.stringify({ email: member.email, password: member.password });
    const foreign = await api('/session', {
      method: 'POST',
      body,
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(foreign.status, 403);
    assert.equal((await errorOf(foreign)).code, 'forbidden_origin');
    assert.equal(foreign.headers.getSetCookie().length, 0);
    const same = await api('/session', { method: 'POST', body, headers: { origin: app.baseUrl } });
    assert.equal(same.status, 201);
  });

  void test('staff APIs: members get 403, anonymous 401, staff invite and list', async () => {
    const member = await createAccount(app, 'member');
    const staff = await createAccount(app, 'staff');
    const signIn = async (email: string, password: string): Promise<string> =>
      sessionCookieOf(await api('/session', { method: 'POST', body: JSON.stringify({ email, password }) }));
    const memberCookie = await signIn(member.email, member.password);
    const staffCookie = await signIn(staff.email, staff.password);
    const invitation = JSON.stringify({ email: `api-${process.pid}@example.org`, locale: 'fr' });

    assert.equal((await api('/invitations', { cookie: memberCookie })).status, 403);
    const refused = await api('/invitations', { method: 'POST', body: invitation, cookie: memberCookie });
    assert.equal(refused.status, 403);
    assert.equal((await errorOf(refused)).code, 'forbidden');
    assert.equal((await api('/invitations')).status, 401);

    const created = await api('/invitations', { method: 'POST', body: invitation, cookie: staffCookie });
    assert.equal(created.status, 201, await created.clone().text());
    const again = await api('/invitations', { method: 'POST', body: invitation, cookie: staffCookie });
    assert.equal(again.status, 409);
    assert.equal((await errorOf(again)).code, 'already_invited');
    const list = await api('/invitations', { cookie: staffCookie });
    const { invitations } = (await list.json()) as { invitations: { email: string; status: string }[] };
    assert.deepEqual(
      invitations
        .filter((entry) => entry.email === `api-${process.pid}@example.org`)
        .map((entry) => entry.status),
      ['pending'],
    );
  });

  void test('unknown endpoints answer 404 in the error shape; the OpenAPI document lists the endpoints', async () => {
    const missing = await api('/no-such-thing');
    assert.equal(missing.status, 404);
    assert.equal((await errorOf(missing)).code, 'not_found');

    const response = await api('/openapi.json');
    assert.equal(response.status, 200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    assert.equal(document.openapi, '3.1.0');
    // Each area adds its own paths; these are the accounts and staff ones.
    const expected = [
      '/affiliates',
      '/applications',
      '/applications/{id}',
      '/applications/{id}/decision',
      '/applications/{id}/reports/{index}',
      '/audit',
      '/invitations',
      '/invitations/{id}',
      '/invitations/{id}/resend',
      '/me',
      '/openapi.json',
      '/organisations/{id}/category',
      '/people/{id}/role',
      '/people/{id}/status',
      '/session',
    ];
    assert.deepEqual(
      expected.filter((path) => !(path in document.paths)),
      [],
      'every accounts and staff path is described',
    );
    assert.deepEqual(Object.keys(document.paths['/session'] ?? {}).sort(), ['delete', 'post']);
    assert.deepEqual(Object.keys(document.components.schemas.SessionRequest?.properties ?? {}).sort(), [
      'email',
      'password',
    ]);
  });
});
