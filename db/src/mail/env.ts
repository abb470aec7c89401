/**
 * Mail settings from the environment, for the server's and the CLI's start-up:
 *
 *   SMTP_URL   smtp://user:pass@host:587 or smtps://user:pass@host:465; unset: the outbox only.
 *   MAIL_FROM  the sender, e.g. "COPE Workspace <workspace@copenetwork.org>"; required with SMTP_URL.
 *
 * An empty variable counts as unset, as everywhere in the configuration.
 */
import { MailConfigError } from './smtp';

export interface MailEnv {
  smtpUrl: string | undefined;
  from: string;
}

/** The sender of outbox-only mail when `MAIL_FROM` is unset: `.invalid` says it cannot be written to. */
export const OUTBOX_ONLY_FROM = 'COPE Workspace <no-reply@workspace.invalid>';

export function readMailEnv(env: Readonly<Record<string, string | undefined>>): MailEnv {
  const smtpUrl = nonEmpty(env.SMTP_URL);
  const from = nonEmpty(env.MAIL_FROM);
  if (smtpUrl !== undefined && from === undefined) {
    throw new MailConfigError(
      'MAIL_FROM is required when SMTP_URL is set (e.g. "COPE Workspace <workspace@example.org>")',
    );
  }
  return { smtpUrl, from: from ?? OUTBOX_ONLY_FROM };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
