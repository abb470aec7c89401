/**
 * The server's configuration: every environment variable it reads, validated once at start-up.
 * On error `loadConfig` lists every problem, so an operator fixes them all in one go.
 * Documented in docs/configuration.md; keep the two in step.
 */
import path from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z
  .object({
    NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    ORIGIN: z
      .url({
        protocol: /^https?$/,
        error: 'ORIGIN must be an http(s) URL such as https://workspace.example.org',
      })
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    MONGODB_URL: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\/.+/, 'MONGODB_URL must start with mongodb:// or mongodb+srv://')
      .optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    TRUST_PROXY: booleanish.default(false),
    WEB_BUILD_DIR: z.string().min(1).optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/.+/, 'SMTP_URL must start with smtp:// or smtps://')
      .optional(),
    MAIL_FROM: z.string().min(3).optional(),
  })
  .refine((e) => e.SMTP_URL === undefined || e.MAIL_FROM !== undefined, {
    path: ['MAIL_FROM'],
    message: 'MAIL_FROM is required when SMTP_URL is set (e.g. "COPE Workspace <workspace@example.org>")',
  });

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  /** The public origin (scheme://host[:port]) that browsers use; checked against `Origin` headers. */
  origin: string;
  /** Absolute path of the data folder (embedded database, outbox, uploads). */
  dataDir: string;
  mongodbUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Behind a TLS reverse proxy: trust X-Forwarded-* for the client address and protocol. */
  trustProxy: boolean;
  /** Folder of the built SvelteKit app (adapter-node output). */
  webBuildDir: string;
  /** Outgoing mail over SMTP; unset: mail stays in the outbox that staff read in the app. */
  smtpUrl: string | undefined;
  mailFrom: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration. `repoRoot` anchors the default web build folder. */
export function loadConfig(env: NodeJS.ProcessEnv, repoRoot: string): Config {
  // An empty variable means "not set": `MONGODB_URL=` in a shell should not be an invalid URL.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const origin = new URL(e.ORIGIN ?? `http://localhost:${e.PORT}`).origin;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    origin,
    dataDir: path.resolve(e.DATA_DIR),
    mongodbUrl: e.MONGODB_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    webBuildDir: path.resolve(repoRoot, e.WEB_BUILD_DIR ?? 'web/build'),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
  };
}
