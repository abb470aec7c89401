/**
 * The built web app's static files, served in front of the adapter-node handler.
 *
 * adapter-node serves `build/client` with sirv, which lists the files once at start-up and then streams a
 * listed file without handling the stream's errors: a file removed afterwards (a rebuild while the server runs)
 * throws an unhandled 'error' event and takes the whole process down. Here every path sirv would serve is
 * answered first, by express.static, which turns a vanished file into a 404 or a 500 for that one request.
 * Requests for anything else (pages, endpoints) go on to SvelteKit.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

/** SvelteKit's hashed build output: a file's name changes with its content, so it may be cached for a year. */
const IMMUTABLE_PREFIX = '/_app/immutable/';
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** The URL paths of every file under `dir` (e.g. `/favicon.svg`, `/_app/version.json`). */
function listUrlPaths(dir: string): Set<string> {
  const paths = new Set<string>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
      else paths.add(`${prefix}${entry.name}`);
    }
  };
  // A build without client files (a server-only stand-in) serves none.
  if (existsSync(dir)) walk(dir, '/');
  return paths;
}

export function builtAssetsHandler(clientDir: string): RequestHandler {
  const known = listUrlPaths(clientDir);
  const serve = express.static(clientDir, {
    index: false,
    redirect: false,
    // A known path whose file is gone answers 404 here instead of reaching sirv.
    fallthrough: false,
    setHeaders(res, _filePath) {
      const url = (res.req as { path?: string }).path ?? '';
      if (url.startsWith(IMMUTABLE_PREFIX)) res.setHeader('Cache-Control', IMMUTABLE_CACHE);
    },
  });
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let pathname: string;
    try {
      pathname = decodeURIComponent(req.path);
    } catch {
      return next();
    }
    if (!known.has(pathname) && !pathname.startsWith('/_app/')) return next();
    serve(req, res, next);
  };
}
