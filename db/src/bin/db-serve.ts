/**
 * `pnpm db:serve --port <port> --data-dir <dir> [--host <host>]` (port 27017 and $DATA_DIR by default):
 * runs the embedded server in the foreground so that mongosh or MongoDB Compass can inspect a data folder.
 * It takes the folder's lock like the app does (so it refuses a folder another process is using), prints a
 * line with "ready" and the URL once it accepts connections, and stops cleanly on SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { startEmbeddedServer } from '../embedded/index';
import { acquireDataDirLock } from '../embedded/lock';
import { createLogger } from '../logger';

const argsSchema = z.object({
  port: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535 (0 picks a free port)')
    .max(65535, 'must be between 0 and 65535 (0 picks a free port)'),
  dataDir: z.string({ error: 'is required (or set DATA_DIR)' }).min(1, 'must not be empty'),
  host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
});

const USAGE =
  'usage: pnpm db:serve --port <port (default 27017)> --data-dir <dir (default $DATA_DIR)> [--host <host (default 127.0.0.1)>]';

function parseArguments(): z.infer<typeof argsSchema> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2).filter((arg) => arg !== '--'),
      options: { port: { type: 'string' }, 'data-dir': { type: 'string' }, host: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`db:serve: ${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const parsed = argsSchema.safeParse({
    port: values.port ?? process.env.DB_PORT ?? '27017',
    dataDir: values['data-dir'] ?? process.env.DATA_DIR,
    host: values.host,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `--${issue.path.join('.').replace('dataDir', 'data-dir')}: ${issue.message}`,
    );
    process.stderr.write(`db:serve: invalid arguments\n  ${problems.join('\n  ')}\n${USAGE}\n`);
    process.exit(2);
  }
  return parsed.data;
}

async function main(): Promise<void> {
  const args = parseArguments();
  const logger = createLogger('db-serve');
  const outcome = await acquireDataDirLock(args.dataDir);
  if (outcome.kind === 'held') {
    process.stderr.write(
      `db:serve: data folder ${args.dataDir} is in use by process ${outcome.pid}; stop it first or use another folder\n`,
    );
    process.exit(1);
  }
  const { lock } = outcome;
  let server;
  try {
    server = await startEmbeddedServer({ dataDir: lock.dataDir, port: args.port, host: args.host, logger });
    await lock.publishAddress(server.url);
  } catch (error) {
    await lock.release();
    throw error;
  }
  const running = server;
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the embedded database server');
    running
      .close()
      .then(() => lock.release())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.write(`embedded database server ready at ${running.url} (data folder ${lock.dataDir})\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`db:serve: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
