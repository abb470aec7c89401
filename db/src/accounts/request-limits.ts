/**
 * Counting a request against a limit (password reset, affiliate sign-up, applications) and keeping the
 * moment a limit is reached in the audit log: a burst of requests is an event staff should see, like a
 * sign-in lockout.
 */
import type { Connection } from 'mongoose';
import { recordAudit } from './audit.js';
import type { Clock } from './clock.js';
import { recordFailure } from './rate-limit.js';
import type { FailureResult, RateLimitRule } from './rate-limit.js';

export interface LimitedRequest {
  key: string;
  rule: RateLimitRule;
  /** The audit action when this request locks the key, e.g. `passwordReset.lockout`. */
  lockoutAction: string;
  /** What the lockout is about: `{ kind: 'account', id: email }` or `{ kind: 'address', id: address }`. */
  subject: { kind: string; id: string };
  details?: Record<string, unknown>;
}

export async function countLimitedRequest(
  conn: Connection,
  request: LimitedRequest,
  options: { clock?: Clock } = {},
): Promise<FailureResult> {
  const counted = await recordFailure(conn, request.key, request.rule, options);
  if (counted.lockedNow) {
    await recordAudit(
      conn,
      {
        action: request.lockoutAction,
        actorId: null,
        subject: request.subject,
        details: { ...request.details, until: counted.state.until?.toISOString() ?? null },
      },
      options,
    );
  }
  return counted;
}
