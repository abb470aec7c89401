/**
 * The CLI's commands and their arguments, validated with zod. Parsing never touches the database, so bad
 * input is reported (exit code 2) before anything is opened.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  countryCodeSchema,
  emailSchema,
  languageCodeSchema,
  localeSchema,
  nameSchema,
  networkRoleSchema,
  organisationCategorySchema,
} from '@cope/domain';
import {
  UNCONFIRMED_AFFILIATE_RETENTION_DAYS,
  purgeOlderThanDaysSchema,
} from '../accounts/unconfirmed-purge.js';

/** Bad input: the message says what to fix; the process exits with code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage: pnpm cope <command> [options]

commands:
  user:create --email E --name N --role staff|member|affiliate [--password-file F] [--locale en|fr]
      Creates an account. With --password-file, the password is the first line of that file; without it,
      a one-time link to set the password is printed (valid 7 days). Passwords are never accepted on the
      command line (they would stay in the shell history and the process list).
  org:create --name N --country CC [--language xx …] [--category member|applicant|former]
      Creates an organisation (ISO 3166-1 country code, ISO 639-1 language codes; category member by default).
  accounts:purge-unconfirmed [--older-than-days N]
      Removes the affiliate sign-ups whose email was never confirmed, created more than N days ago (7 by
      default, as the server does every hour), with their links, sessions and mails; prints how many.
  help
      Prints this text.

environment: DATA_DIR (default ./data), MONGODB_URL, ORIGIN (default http://localhost:3000), as the server.`;

const userCreateSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  role: networkRoleSchema,
  passwordFile: z.string().min(1).optional(),
  locale: localeSchema.default('en'),
});

const orgCreateSchema = z.object({
  name: nameSchema,
  country: countryCodeSchema,
  languages: z.array(languageCodeSchema).default([]),
  category: organisationCategorySchema.default('member'),
});

const purgeUnconfirmedSchema = z.object({
  olderThanDays: purgeOlderThanDaysSchema.default(UNCONFIRMED_AFFILIATE_RETENTION_DAYS),
});

export type Command =
  | { name: 'help' }
  | { name: 'user:create'; options: z.output<typeof userCreateSchema> }
  | { name: 'org:create'; options: z.output<typeof orgCreateSchema> }
  | { name: 'accounts:purge-unconfirmed'; options: z.output<typeof purgeUnconfirmedSchema> };

/** `--password-file` is named after its option; zod paths use the camel-case keys. */
const OPTION_NAMES: Record<string, string> = {
  passwordFile: 'password-file',
  languages: 'language',
  olderThanDays: 'older-than-days',
};

function problems(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const key = String(issue.path[0] ?? '');
      const option = OPTION_NAMES[key] ?? key;
      return `  --${option}: ${issue.message}`;
    })
    .join('\n');
}

function options(
  command: string,
  args: string[],
  spec: Record<string, { type: 'string'; multiple?: boolean }>,
): Record<string, string | string[] | undefined> {
  try {
    const { values } = parseArgs({ args, options: spec, strict: true, allowPositionals: false });
    return values;
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
}

export function parseCommand(argv: readonly string[]): Command {
  // `pnpm cope -- …` passes the separator along.
  const args = argv.filter((arg) => arg !== '--');
  const [name, ...rest] = args;
  if (name === undefined) throw new UsageError('a command is needed');
  if (name === 'help' || name === '--help' || name === '-h') return { name: 'help' };

  if (name === 'user:create') {
    if (rest.some((a) => a === '--password' || a.startsWith('--password='))) {
      throw new UsageError(
        'user:create: a password is never accepted on the command line; put it on the first line of a file and pass --password-file',
      );
    }
    const v = options(name, rest, {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      'password-file': { type: 'string' },
      locale: { type: 'string' },
    });
    const parsed = userCreateSchema.safeParse({
      email: v.email,
      name: v.name,
      role: v.role,
      passwordFile: v['password-file'],
      locale: v.locale,
    });
    if (!parsed.success) throw new UsageError(`user:create: invalid arguments\n${problems(parsed.error)}`);
    return { name, options: parsed.data };
  }

  if (name === 'org:create') {
    const v = options(name, rest, {
      name: { type: 'string' },
      country: { type: 'string' },
      language: { type: 'string', multiple: true },
      category: { type: 'string' },
    });
    const parsed = orgCreateSchema.safeParse({
      name: v.name,
      country: v.country,
      languages: v.language,
      category: v.category,
    });
    if (!parsed.success) throw new UsageError(`org:create: invalid arguments\n${problems(parsed.error)}`);
    return { name, options: parsed.data };
  }

  if (name === 'accounts:purge-unconfirmed') {
    const v = options(name, rest, { 'older-than-days': { type: 'string' } });
    const parsed = purgeUnconfirmedSchema.safeParse({ olderThanDays: v['older-than-days'] });
    if (!parsed.success) throw new UsageError(`${name}: invalid arguments\n${problems(parsed.error)}`);
    return { name, options: parsed.data };
  }

  throw new UsageError(`unknown command "${name}"`);
}
