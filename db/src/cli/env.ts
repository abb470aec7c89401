/** The CLI reads the same variables as the server, with the same defaults, so both open the same data. */
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from './args.js';

const envSchema = z.object({
  DATA_DIR: z.string().min(1).default('./data'),
  MONGODB_URL: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/.+/, 'MONGODB_URL must start with mongodb:// or mongodb+srv://')
    .optional(),
  ORIGIN: z
    .url({
      protocol: /^https?$/,
      error: 'ORIGIN must be an http(s) URL such as https://workspace.example.org',
    })
    .default('http://localhost:3000'),
});

export interface CliEnv {
  dataDir: string;
  mongodbUrl: string | undefined;
  origin: string;
}

export function readCliEnv(env: Readonly<Record<string, string | undefined>>, cwd: string): CliEnv {
  // As in the server: an empty variable means "not set".
  const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());
  const parsed = envSchema.safeParse({
    DATA_DIR: nonEmpty(env.DATA_DIR),
    MONGODB_URL: nonEmpty(env.MONGODB_URL),
    ORIGIN: nonEmpty(env.ORIGIN),
  });
  if (!parsed.success) {
    throw new UsageError(
      `invalid environment\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return {
    dataDir: path.resolve(cwd, parsed.data.DATA_DIR),
    mongodbUrl: parsed.data.MONGODB_URL,
    origin: new URL(parsed.data.ORIGIN).origin,
  };
}
