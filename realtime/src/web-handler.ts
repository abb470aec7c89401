/**
 * How the SvelteKit app is served inside this process: in production the adapter-node handler from the
 * built app; in development a Vite dev server in middleware mode (hot reload), on the same origin.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { LIMITS } from '@cope/domain';
import type { RequestHandler } from 'express';
import { builtAssetsHandler } from './web-assets.js';

export interface WebHandler {
  handler: RequestHandler;
  close(): Promise<void>;
}

export async function loadBuiltWebHandler(webBuildDir: string): Promise<WebHandler> {
  const entry = path.join(webBuildDir, 'handler.js');
  if (!existsSync(entry)) {
    throw new Error(`The web app is not built: ${entry} is missing. Run \`pnpm build\` (or \`pnpm start\`).`);
  }
  // adapter-node reads its request-body limit (default 512 KB) when the handler loads.
  process.env.BODY_SIZE_LIMIT ??= String(LIMITS.httpMaxBodyBytes);
  const module = (await import(pathToFileURL(entry).href)) as { handler: RequestHandler };
  const assets = builtAssetsHandler(path.join(webBuildDir, 'client'));
  return {
    handler: (req, res, next) =>
      assets(req, res, (error?: unknown) => (error ? next(error) : module.handler(req, res, next))),
    close: () => Promise.resolve(),
  };
}

export async function createDevWebHandler(webRoot: string, httpServer: Server): Promise<WebHandler> {
  // vite is a development dependency: loaded only here, never in production.
  const { createServer } = await import('vite');
  // SvelteKit reads svelte.config.js and src/ relative to the working directory, whatever Vite's root says.
  // Development only; every configured path is already absolute by now.
  process.chdir(webRoot);
  const vite = await createServer({
    root: webRoot,
    configFile: path.join(webRoot, 'vite.config.ts'),
    server: { middlewareMode: true, hmr: { server: httpServer } },
    appType: 'custom',
  });
  return {
    handler: (req, res, next) => vite.middlewares(req, res, next),
    close: () => vite.close(),
  };
}
