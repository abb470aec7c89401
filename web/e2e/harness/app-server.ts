/**
 * Starts the built app exactly as production does (`node realtime/bin/cope-server.mjs` from the repository
 * root) on a free port with a fresh temporary data folder, and stops it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The server entry; `COPE_SERVER_ENTRY` points at another build when one is needed. */
const SERVER_ENTRY =
  process.env.COPE_SERVER_ENTRY ?? path.join(REPO_ROOT, 'realtime', 'bin', 'cope-server.mjs');

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const HEALTH_POLL_MS = 100;

export interface AppServer {
  /** `http://127.0.0.1:<port>`, also the server's ORIGIN. */
  readonly baseUrl: string;
  readonly dataDir: string;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago: the OS picks it, we release it, the server binds it. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the probe port'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  void exitOf(child).then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited before it was healthy:\n${output()}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`the server did not answer /healthz within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

/** `env` adds to or overrides the server's environment (e.g. SMTP_URL). */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cope-e2e-'));
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ORIGIN: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  const output = (): string => log;

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const { code, signal } = await exitOf(child);
    clearTimeout(timer);
    await rm(dataDir, { recursive: true, force: true });
    // A clean shutdown exits 0 (or by the SIGTERM we sent); anything else is worth seeing.
    if (code !== 0 && signal !== 'SIGTERM') {
      process.stderr.write(`app server exited with code ${code} signal ${signal}:\n${log}\n`);
    }
  };

  try {
    await waitForHealth(baseUrl, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, output, stop };
}
