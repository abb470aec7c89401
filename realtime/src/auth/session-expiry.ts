/**
 * Live connections end when their session expires, not only when it is revoked. Each connection holds one
 * timer set to its session's end (the earlier of the idle expiry and the absolute lifetime). When it fires,
 * the session is read again, because sliding renewal (any HTTP request of the same session) may have moved
 * the idle expiry: a session still valid re-arms the timer; an expired or vanished one is ended and announced
 * on the revocation bus, so every socket.io socket of it gets `session:ended` and every sync connection closes
 * with 4401, exactly as on sign-out. No sweep over all sockets: work happens only at each session's end.
 */
import { models, publishSessionRevocation, SESSION_CONFIG, systemClock, type Clock } from '@cope/db';
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';

/** setTimeout's largest delay (about 24.8 days): longer waits re-read the session at that point instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After a failed read (database briefly away), try again this much later rather than ending the session. */
const RETRY_MS = 60_000;

/** The moment a session ends, in ms since the epoch: its idle expiry or its absolute end, whichever is first. */
export function sessionEndOf(session: { expiresAt: Date; createdAt: Date }): number {
  return Math.min(
    session.expiresAt.getTime(),
    session.createdAt.getTime() + SESSION_CONFIG.absoluteLifetimeMs,
  );
}

/** The stored session's end and idle expiry, or null when the session no longer exists. */
async function storedSession(
  conn: Connection,
  sessionId: string,
): Promise<{ endsAt: number; expiresAt: Date } | null> {
  const stored = await models(conn).Session.findById(sessionId, { expiresAt: 1, createdAt: 1 }).lean();
  return stored === null ? null : { endsAt: sessionEndOf(stored), expiresAt: stored.expiresAt };
}

export interface ExpiringSession {
  userId: string;
  sessionId: string;
  /** The end known when the connection was authenticated (ms since the epoch). */
  sessionEndsAt: number;
}

/** Stops watching (the connection closed first). */
export type CancelExpiryWatch = () => void;

/** Arms the timer of one connection's session; returns the function that disarms it. */
export type SessionExpiryWatcher = (session: ExpiringSession) => CancelExpiryWatch;

export function sessionExpiryWatcher(
  conn: Connection,
  logger: Logger,
  clock: Clock = systemClock,
): SessionExpiryWatcher {
  return (session) => {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;

    const arm = (endsAt: number) => {
      if (cancelled) return;
      const delay = Math.min(MAX_TIMER_MS, Math.max(0, endsAt - clock()));
      timer = setTimeout(() => void check(), delay);
      // A pending expiry never keeps the process alive on its own.
      timer.unref();
    };

    const check = async (): Promise<void> => {
      try {
        const stored = await storedSession(conn, session.sessionId);
        if (cancelled) return;
        if (stored !== null && stored.endsAt > clock()) {
          arm(stored.endsAt);
          return;
        }
        if (stored !== null) {
          // Delete only the expiry we read: a renewal in between wins, and the session is read again.
          const { deletedCount } = await models(conn).Session.deleteOne({
            _id: session.sessionId,
            expiresAt: stored.expiresAt,
          });
          if (deletedCount === 0) return await check();
        }
      } catch (error) {
        logger.warn({ err: error }, 'session expiry: reading the session failed; trying again later');
        arm(clock() + RETRY_MS);
        return;
      }
      if (cancelled) return;
      cancelled = true;
      publishSessionRevocation({ userId: session.userId, sessionIds: [session.sessionId] });
    };

    arm(session.sessionEndsAt);
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  };
}
