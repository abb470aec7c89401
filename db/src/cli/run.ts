/**
 * `pnpm cope <command>`: administration from the repository root (the first staff account, organisations,
 * removing affiliate sign-ups never confirmed).
 *
 * Exit codes: 0 done, 1 the command failed (e.g. the email has an account, the database is unreachable),
 * 2 bad input (arguments, environment, password file or password policy), with a message on stderr.
 * The database is opened with `connectDb`, as the server does: on a data folder the server holds, the CLI
 * connects to the server's embedded database instead of opening the files.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { connectDb } from '../connect.js';
import type { DbHandle } from '../connect.js';
import { createOrganisation } from '../accounts/organisations.js';
import { createSetPasswordLink } from '../accounts/password-reset.js';
import { checkPasswordPolicy } from '../accounts/passwords.js';
import { purgeUnconfirmedAffiliates } from '../accounts/unconfirmed-purge.js';
import { createUser } from '../accounts/users.js';
import { ensureOutboxIndexes } from '../mail/outbox.js';
import { ensureIndexes } from '../models/index.js';
import { USAGE, UsageError, parseCommand } from './args.js';
import type { Command } from './args.js';
import { readCliEnv } from './env.js';
import type { CliEnv } from './env.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** A failure of the command itself (exit code 1), as opposed to bad input. */
class CommandFailure extends Error {}

/** The first line of the password file, without its line ending. */
async function readPasswordFile(file: string, cwd: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new UsageError(
      `--password-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (first === '') throw new UsageError(`--password-file: the first line of ${file} is empty`);
  const policy = checkPasswordPolicy(first);
  if (!policy.ok) {
    const why = {
      tooShort: 'too short (at least 8 characters)',
      tooLong: 'too long',
      common: 'one of the most common passwords',
    };
    throw new UsageError(`--password-file: the password is refused: ${why[policy.problem]}`);
  }
  return first;
}

async function withDatabase<T>(env: CliEnv, io: CliIo, work: (db: DbHandle) => Promise<T>): Promise<T> {
  // Logs go to stderr (warnings only unless LOG_LEVEL says otherwise): stdout carries the command's result.
  const logger = pino(
    { name: 'cope-cli', level: io.env.LOG_LEVEL ?? 'warn' },
    pino.destination({ dest: 2, sync: true }),
  );
  let db: DbHandle;
  try {
    db = await connectDb({
      dataDir: env.dataDir,
      logger,
      ...(env.mongodbUrl === undefined ? {} : { mongodbUrl: env.mongodbUrl }),
    });
  } catch (error) {
    throw new CommandFailure(`cannot open the database: ${(error as Error).message}`);
  }
  try {
    // The unique email index must exist before the first account, even when the server never ran here.
    await ensureIndexes(db.connection);
    await ensureOutboxIndexes(db.connection);
    return await work(db);
  } finally {
    await db.close();
  }
}

async function execute(command: Exclude<Command, { name: 'help' }>, env: CliEnv, io: CliIo): Promise<void> {
  if (command.name === 'user:create') {
    const o = command.options;
    const password =
      o.passwordFile === undefined ? undefined : await readPasswordFile(o.passwordFile, io.cwd);
    await withDatabase(env, io, async ({ connection }) => {
      const created = await createUser(
        connection,
        {
          email: o.email,
          name: o.name,
          networkRole: o.role,
          locale: o.locale,
          ...(password === undefined ? {} : { password }),
        },
        // The command line acts as the system: no person is the actor.
        { actorId: null },
      );
      if (!created.ok) {
        if (created.code === 'emailTaken')
          throw new CommandFailure(`an account with the email ${o.email} already exists`);
        throw new UsageError(`user:create: ${created.message}`);
      }
      io.stdout(`Created the ${o.role} account ${o.email} (id ${created.value.id}).\n`);
      if (password === undefined) {
        const { link, expiresAt } = await createSetPasswordLink(connection, created.value.id, env.origin);
        io.stdout(`Set-password link (single use, valid until ${expiresAt.toISOString()}):\n${link}\n`);
      }
    });
    return;
  }
  if (command.name === 'accounts:purge-unconfirmed') {
    const { olderThanDays } = command.options;
    await withDatabase(env, io, async ({ connection }) => {
      const { purged, cutoff } = await purgeUnconfirmedAffiliates(connection, { olderThanDays });
      io.stdout(
        `Removed ${purged} affiliate account${purged === 1 ? '' : 's'} never confirmed, created before ${cutoff.toISOString()}.\n`,
      );
    });
    return;
  }
  const o = command.options;
  await withDatabase(env, io, async ({ connection }) => {
    const created = await createOrganisation(connection, o, { actorId: null });
    if (!created.ok) throw new UsageError(`org:create: ${created.message}`);
    io.stdout(`Created the organisation ${o.name} (${o.country}, ${o.category}, id ${created.value.id}).\n`);
  });
}

/** Runs one command; resolves to the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const env = readCliEnv(io.env, io.cwd);
    await execute(command, env, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`cope: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`cope: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
