/**
 * The real entry point as a child process: configuration errors, the mounted web handler, log redaction,
 * and graceful shutdown on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDb, createSession, createUser, generateSessionToken, sessionCookieSpec } from '@cope/db';
import { pino } from 'pino';
import { io as connectSocketIo } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './helpers.js';

const entry = fileURLToPath(new URL('../bin/cope-server.mjs', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  origin: string;
  output: () => string;
  exit: Promise<number | null>;
}

async function startProcess(env: Record<string, string>): Promise<Started> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cope-process-'));
  // A stand-in for the built web app, so this test does not depend on `vite build`.
  const webBuildDir = path.join(dir, 'web-build');
  await mkdir(webBuildDir);
  await writeFile(path.join(webBuildDir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(
    path.join(webBuildDir, 'handler.js'),
    `export const handler = (req, res) => { res.setHeader('content-type', 'text/plain'); res.end('web app'); };\n`,
  );
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [entry], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: origin,
      DATA_DIR: path.join(dir, 'data'),
      WEB_BUILD_DIR: webBuildDir,
      LOG_LEVEL: 'info',
      MONGODB_URL: process.env.MONGODB_URL ?? '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exit;
    await rm(dir, { recursive: true, force: true });
  });
  return { child, origin, output: () => output, exit };
}

describe('the server process', () => {
  it('refuses to start on invalid configuration and lists every problem', async () => {
    const started = await startProcess({ PORT: 'eighty', LOG_LEVEL: 'chatty' });
    expect(await started.exit).toBe(1);
    expect(started.output()).toContain('PORT');
    expect(started.output()).toContain('LOG_LEVEL');
  });

  it('serves the web app, never logs secrets, and stops cleanly on SIGTERM', async () => {
    const started = await startProcess({});
    await waitFor(() => started.output().includes('listening on'), 'the server to listen', 30_000);
    expect(started.output()).toMatch(/embedded/);

    const page = await fetch(`${started.origin}/some/page`, {
      headers: { cookie: 'session=supersecretcookievalue', authorization: 'Bearer supersecrettokenvalue' },
    });
    expect(await page.text()).toBe('web app');
    expect((await fetch(`${started.origin}/readyz`)).status).toBe(200);

    // A live socket needs a session: create a person and a session through the running server's data
    // folder (a second process on the folder shares the owner's embedded database).
    const dataDir = /"dataDir":"([^"]+)"/.exec(started.output())?.[1] ?? '';
    const shared = await connectDb({
      dataDir,
      logger: pino({ level: 'silent' }),
      mongodbUrl: process.env.MONGODB_URL,
    });
    const created = await createUser(
      shared.connection,
      { email: 'process-test@example.org', name: 'Process Test', networkRole: 'member' },
      { actorId: null },
    );
    if (!created.ok) throw new Error(created.message);
    const token = generateSessionToken();
    await createSession(shared.connection, token, created.value.id);
    await shared.close();
    const cookie = `${sessionCookieSpec(started.origin).name}=${token}`;

    const anonymous = connectSocketIo(started.origin, {
      transports: ['websocket'],
      extraHeaders: { origin: started.origin },
      reconnection: false,
    });
    const refused = await new Promise<Error & { data?: { code?: string } }>((resolve) =>
      anonymous.on('connect_error', resolve),
    );
    expect(refused.data?.code).toBe('unauthenticated');
    anonymous.close();

    const socket = connectSocketIo(started.origin, {
      transports: ['websocket'],
      extraHeaders: { origin: started.origin, cookie },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('connect', resolve);
      socket.on('connect_error', reject);
    });
    const disconnected = new Promise<string>((resolve) => socket.on('disconnect', resolve));

    const stoppedAt = Date.now();
    started.child.kill('SIGTERM');
    // 'transport close', not 'io server disconnect': socket.io clients reconnect by themselves after a
    // restart only in the first case, which is what a rolling restart needs.
    expect(await disconnected).toBe('transport close');
    expect(await started.exit).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(started.output()).toContain('stopped');
    expect(started.output()).not.toContain('supersecretcookievalue');
    expect(started.output()).not.toContain('supersecrettokenvalue');
  });
});

describe('a second start by mistake', () => {
  it('on the same port stops with a clear message, on another port shares the data folder', async () => {
    const first = await startProcess({});
    await waitFor(() => first.output().includes('listening on'), 'the first server', 30_000);
    const port = new URL(first.origin).port;
    const dataDir = /"dataDir":"([^"]+)"/.exec(first.output())?.[1];
    expect(dataDir).toBeDefined();

    const samePort = await startProcess({ PORT: port, ORIGIN: first.origin, DATA_DIR: dataDir ?? '' });
    expect(await samePort.exit).toBe(1);
    expect(samePort.output()).toContain(`Port ${port} on 127.0.0.1 is already in use`);

    const otherPort = await startProcess({ DATA_DIR: dataDir ?? '' });
    await waitFor(() => otherPort.output().includes('listening on'), 'the second server', 30_000);
    expect(otherPort.output()).toContain('using the embedded database of process');
    expect((await fetch(`${otherPort.origin}/readyz`)).status).toBe(200);
  });
});
