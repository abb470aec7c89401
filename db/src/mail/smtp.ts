/**
 * The SMTP side: reading `SMTP_URL`, opening a nodemailer transport, and keeping the credentials out of
 * everything else. The URL is never logged or stored; logs name the server as `smtp://host:port` only, and
 * error texts are scrubbed of the user name and password before they reach a log line or the outbox.
 */
import { createTransport } from 'nodemailer';

export interface SmtpSettings {
  /** The URL as given, handed to nodemailer (its query options, e.g. `?tls.servername=…`, keep working). */
  url: string;
  /** `smtp://host:port` or `smtps://host:port`: safe to log. */
  displayName: string;
  /** Strings that must never appear in a log line or the outbox: the user name and password, raw and decoded. */
  secrets: string[];
  /** Whether STARTTLS is required before credentials are sent (see `parseSmtpUrl`). */
  requireTLS: boolean;
}

/** Thrown by `createMailer` for a configuration that is not valid. Its message never contains credentials. */
export class MailConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * Validates an `smtp://` or `smtps://` URL. With `smtp://` and a user name on a host other than loopback,
 * STARTTLS is required so that the password never crosses the network in clear; a relay on the same machine
 * needs no TLS. The URL's own `?requireTLS=false` still overrides this (nodemailer reads the query last).
 */
export function parseSmtpUrl(raw: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The message must not echo the value: it may hold a password.
    throw new MailConfigError(
      'SMTP_URL is not a valid URL (expected smtp://user:pass@host:587 or smtps://…)',
    );
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new MailConfigError('SMTP_URL must start with smtp:// or smtps://');
  }
  if (url.hostname === '') throw new MailConfigError('SMTP_URL has no host name');
  const defaultPort = url.protocol === 'smtps:' ? 465 : 587;
  const port = url.port === '' ? defaultPort : Number(url.port);
  const secrets = [url.username, url.password]
    .flatMap((s) => [s, safeDecode(s)])
    .filter((s) => s.length >= 3);
  return {
    url: raw,
    displayName: `${url.protocol}//${url.hostname}:${port}`,
    secrets: [...new Set(secrets)],
    requireTLS: url.protocol === 'smtp:' && url.username !== '' && !LOOPBACK_HOSTS.has(url.hostname),
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Removes every secret from a text (an error message from the SMTP client or server). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}

export interface SmtpTimeouts {
  /** How long to wait for the TCP (and TLS) connection. */
  connectionTimeoutMs: number;
  /** How long to wait for the server's greeting once connected. */
  greetingTimeoutMs: number;
  /** How long a silent connection is kept. */
  socketTimeoutMs: number;
}

/**
 * nodemailer's defaults (2 minutes to connect, 10 minutes of silence) would hold a request for as long;
 * these are long enough for a slow relay and short enough for a person waiting on a form.
 */
export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = {
  connectionTimeoutMs: 15_000,
  greetingTimeoutMs: 15_000,
  socketTimeoutMs: 60_000,
};

/**
 * A small pool of SMTP connections, reused from one message to the next: opening a connection (TCP, greeting,
 * STARTTLS, AUTH) costs far more than sending one message over it (about 100 ms against 10 ms on loopback).
 * A connection the server closes while idle is simply reopened for the next message.
 */
export const SMTP_POOL = { maxConnections: 3, maxMessages: 100 } as const;

export function createSmtpTransport(settings: SmtpSettings, timeouts: SmtpTimeouts) {
  return createTransport({
    pool: true,
    ...SMTP_POOL,
    url: settings.url,
    requireTLS: settings.requireTLS,
    connectionTimeout: timeouts.connectionTimeoutMs,
    greetingTimeout: timeouts.greetingTimeoutMs,
    socketTimeout: timeouts.socketTimeoutMs,
    // nodemailer's own logger would print the SMTP dialogue, AUTH included.
    logger: false,
    debug: false,
  });
}

export type SmtpTransport = ReturnType<typeof createSmtpTransport>;
