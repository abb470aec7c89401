/**
 * Calling `/api/v1` of the test server over plain HTTP, as an API client would: JSON bodies, the session
 * cookie carried by hand, redirects not followed. For API tests that need no browser.
 */
import assert from 'node:assert/strict';
import { createAccount, type TestAccount } from './accounts';
import type { E2eFixture } from './fixture';

export interface ApiInit extends RequestInit {
  /** `name=value` of the session cookie. */
  cookie?: string;
  /** Sent as the JSON body. */
  json?: unknown;
}

/** A signed-in test account with its session cookie. */
export interface ApiPerson extends TestAccount {
  id: string;
  cookie: string;
}

export interface ApiClient {
  call: (path: string, init?: ApiInit) => Promise<Response>;
  /** A new account of `role`, signed in through `POST /session`. */
  person: (role: TestAccount['role'], name?: string) => Promise<ApiPerson>;
}

export function apiClient(app: E2eFixture): ApiClient {
  const call = (path: string, init: ApiInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (init.cookie !== undefined) headers.set('cookie', init.cookie);
    const body = init.json === undefined ? init.body : JSON.stringify(init.json);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    return fetch(`${app.baseUrl}/api/v1${path}`, { ...init, body, headers, redirect: 'manual' });
  };
  return {
    call,
    async person(role, name) {
      const account = await createAccount(app, role, name);
      const signedIn = await call('/session', {
        method: 'POST',
        json: { email: account.email, password: account.password },
      });
      const { user } = await expectJson<{ user: { id: string } }>(signedIn, 201);
      const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('cope_session='));
      assert.ok(cookie, 'a session cookie is set');
      return { ...account, id: user.id, cookie: cookie.split(';')[0] ?? '' };
    },
  };
}

/** The JSON body of a response that must have `status` (the body is shown when it has not). */
export async function expectJson<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  return JSON.parse(text) as T;
}

/** The error code of a response that must be an error with `status`. */
export async function expectError(response: Response, status: number): Promise<string> {
  return (await expectJson<{ error: { code: string } }>(response, status)).error.code;
}
