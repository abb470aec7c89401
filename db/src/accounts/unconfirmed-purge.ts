/**
 * Affiliates who sign up and never confirm their address are forgotten after a while (GDPR storage
 * limitation): the account, its links and sessions, and the mails sent to it are deleted; the audit log keeps
 * one entry per sweep with how many accounts went, never who.
 *
 * Only accounts that are all of these: role `affiliate`, `emailConfirmedAt` stored as null (absent means an
 * account staff or the CLI made, whose address was vouched for), not disabled (a staff decision about the
 * account, kept as staff left it), created before the cut-off, and with no confirmation link still working
 * (someone who asked again for a link a moment ago keeps the time to use it).
 *
 * The default wait, 7 days, is well past the confirmation link's lifetime
 * (`ONE_TIME_TOKEN_TTL_MS['email-confirmation']`, 2 days): an account is never removed while the link mailed
 * at sign-up could still confirm it. Removing the account frees the address, so signing up again with it is a
 * fresh sign-up.
 */
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { outboxModel } from '../mail/outbox.js';
import { models } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { startPeriodicSweep, type SweepLogger } from '../periodic-sweep.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Days an unconfirmed affiliate account is kept after sign-up: must stay above the confirmation link's
 * lifetime (2 days; a test holds the two together), or accounts whose first link still works would go.
 */
export const UNCONFIRMED_AFFILIATE_RETENTION_DAYS = 7;

/** Whole days, at least 1 (less would race the sign-up that has just mailed a link); at most ten years. */
const DAYS_PROBLEM = { error: 'must be a whole number of days from 1 to 3650' };
export const purgeOlderThanDaysSchema = z.coerce
  .number(DAYS_PROBLEM)
  .int(DAYS_PROBLEM)
  .min(1, DAYS_PROBLEM)
  .max(3650, DAYS_PROBLEM);

export interface UnconfirmedPurgeOptions {
  /** Accounts created more than this many days ago go; `UNCONFIRMED_AFFILIATE_RETENTION_DAYS` by default. */
  olderThanDays?: number;
  clock?: Clock;
}

export interface UnconfirmedPurgeResult {
  /** How many accounts were removed. */
  purged: number;
  /** Accounts created before this were eligible. */
  cutoff: Date;
}

/** The filter of a never-confirmed affiliate: null stored, not absent (absent means vouched for). */
const NEVER_CONFIRMED = {
  networkRole: 'affiliate' as const,
  emailConfirmedAt: { $exists: true, $eq: null },
};

/**
 * Removes the never-confirmed affiliate accounts older than the cut-off, with their tokens, sessions and
 * mails; records one audit event when at least one went. Throws a ZodError on a bad `olderThanDays`.
 */
export async function purgeUnconfirmedAffiliates(
  conn: Connection,
  options: UnconfirmedPurgeOptions = {},
): Promise<UnconfirmedPurgeResult> {
  const clock = options.clock ?? systemClock;
  const olderThanDays = purgeOlderThanDaysSchema.parse(
    options.olderThanDays ?? UNCONFIRMED_AFFILIATE_RETENTION_DAYS,
  );
  const now = new Date(clock());
  const cutoff = new Date(now.getTime() - olderThanDays * DAY_MS);
  const { User, OneTimeToken, Session } = models(conn);
  const outbox = outboxModel(conn);

  const candidates = await User.find(
    { ...NEVER_CONFIRMED, disabled: false, createdAt: { $lt: cutoff } },
    { _id: 1, email: 1, createdAt: 1 },
  ).lean();

  let purged = 0;
  for (const user of candidates) {
    const liveLink = await OneTimeToken.exists({
      userId: user._id,
      purpose: 'email-confirmation',
      expiresAt: { $gt: now },
    });
    if (liveLink !== null) continue;
    // Everything that points to the account first, the account last: a crash in between leaves an account
    // the next sweep finds again, never mails or tokens nothing points to.
    await OneTimeToken.deleteMany({ userId: user._id });
    await Session.deleteMany({ userId: user._id });
    // The mails it was sent (the confirmation links): they carry the name and the address.
    await outbox.deleteMany({ to: user.email, createdAt: { $gte: user.createdAt } });
    // Conditional: an account confirmed, disabled or given another role meanwhile stays.
    const deleted = await User.deleteOne({ _id: user._id, ...NEVER_CONFIRMED, disabled: false });
    purged += deleted.deletedCount;
  }

  // Hourly sweeps that find nothing leave no trace: the log would otherwise fill with empty entries.
  if (purged > 0) {
    await recordAudit(
      conn,
      {
        action: 'affiliate.unconfirmed.purge',
        actorId: null,
        subject: null,
        details: { purged, olderThanDays, cutoff: cutoff.toISOString() },
      },
      { clock },
    );
  }
  return { purged, cutoff };
}

/** What the sweep reports to (the server's pino logger fits). */
export type PurgeLogger = SweepLogger;

const HOUR_MS = 60 * 60 * 1000;

/**
 * Runs the purge at start-up and then every `everyMs` (an hour by default: an hour's delay on a 7-day wait
 * does not matter). The timer does not keep the process alive; returns the function that stops it.
 */
export function startUnconfirmedAffiliatePurge(
  conn: Connection,
  logger: PurgeLogger,
  everyMs = HOUR_MS,
): () => void {
  return startPeriodicSweep({
    run: () => purgeUnconfirmedAffiliates(conn),
    everyMs,
    logger,
    removedMessage: 'accounts: removed affiliate sign-ups never confirmed',
    failedMessage: 'accounts: unconfirmed affiliate purge failed',
  });
}
