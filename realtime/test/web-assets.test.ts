import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtAssetsHandler } from '../src/web-assets.js';

let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cope-assets-'));
  mkdirSync(path.join(dir, '_app', 'immutable'), { recursive: true });
  writeFileSync(path.join(dir, '_app', 'immutable', 'entry.abc123.js'), 'export {};');
  writeFileSync(path.join(dir, '_app', 'version.json'), '{"version":"1"}');
  writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  const app = express();
  app.use(builtAssetsHandler(dir));
  // Stands in for SvelteKit: everything that is not a static file.
  app.use((_req, res) => {
    res.type('text').send('page');
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('the built app’s static files', () => {
  it('serves nothing, and passes everything on, for a build without client files', async () => {
    const app = express();
    app.use(builtAssetsHandler(path.join(dir, 'no-such-folder')));
    app.use((_req, res) => {
      res.type('text').send('page');
    });
    const bare = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => bare.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
      expect(await (await fetch(`${url}/favicon.svg`)).text()).toBe('page');
      expect((await fetch(`${url}/_app/immutable/x.js`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('serves hashed build output with a year-long immutable cache', async () => {
    const response = await fetch(`${base}/_app/immutable/entry.abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toBe('export {};');
  });

  it('serves other files without the immutable cache, and passes pages and other methods on', async () => {
    const icon = await fetch(`${base}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).not.toContain('immutable');
    expect(await (await fetch(`${base}/spaces`)).text()).toBe('page');
    expect(await (await fetch(`${base}/favicon.svg`, { method: 'POST' })).text()).toBe('page');
  });

  it('answers 404 for a build file removed while running, and keeps serving', async () => {
    rmSync(path.join(dir, '_app', 'immutable', 'entry.abc123.js'));
    rmSync(path.join(dir, 'favicon.svg'));
    expect((await fetch(`${base}/_app/immutable/entry.abc123.js`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.svg`)).status).toBe(404);
    expect((await fetch(`${base}/_app/immutable/never-built.js`)).status).toBe(404);
    const version = await fetch(`${base}/_app/version.json`);
    expect(version.status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toBe('page');
  });
});
