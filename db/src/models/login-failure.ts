/**
 * Sign-in rate limiting, kept in the database so a restart does not reset it (see
 * `../accounts/rate-limit.ts`). One document per failed attempt and key (the window is sliding: count the
 * failures newer than now − window), and one lockout document per locked key. Both expire by TTL.
 */
import { Schema } from 'mongoose';
import type { InferSchemaType } from 'mongoose';

export const loginFailureSchema = new Schema(
  {
    /** `account:<email>` or `address:<ip>`. */
    key: { type: String, required: true, maxlength: 400 },
    at: { type: Date, required: true },
    /** When the failure no longer counts in any window; removed by the TTL monitor after that. */
    expiresAt: { type: Date, required: true },
  },
  { collection: 'login_failures', versionKey: false, strict: 'throw' },
);
loginFailureSchema.index({ key: 1, at: -1 });
loginFailureSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export const lockoutSchema = new Schema(
  {
    /** The same key as the failures that caused it: one lockout per key. */
    _id: { type: String, required: true, maxlength: 400 },
    until: { type: Date, required: true },
  },
  { collection: 'lockouts', versionKey: false, strict: 'throw' },
);
lockoutSchema.index({ until: 1 }, { expireAfterSeconds: 0 });

export type LoginFailureRecord = InferSchemaType<typeof loginFailureSchema>;
export type LockoutRecord = InferSchemaType<typeof lockoutSchema>;
