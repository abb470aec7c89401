/**
 * A signed-in session. The `_id` is the SHA-256 (lower-case hex) of the token held in the cookie: a copy of
 * this collection does not let anyone sign in. See `../accounts/sessions.ts`.
 */
import { Schema } from 'mongoose';
import type { InferSchemaType } from 'mongoose';

export const sessionSchema = new Schema(
  {
    _id: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** End of the inactivity timeout; moved forward on use (sliding renewal). MongoDB removes expired sessions. */
    expiresAt: { type: Date, required: true },
    /** Anchor of the absolute maximum lifetime: renewal never moves a session past `createdAt` + that lifetime. */
    createdAt: { type: Date, required: true },
  },
  { collection: 'sessions', versionKey: false, strict: 'throw' },
);

// TTL: the database deletes a session once `expiresAt` has passed (validation checks the time itself too,
// because the TTL monitor runs only every minute or so).
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
// Ending every session of a person (password change, disabled account).
sessionSchema.index({ userId: 1 });

export type SessionRecord = InferSchemaType<typeof sessionSchema>;
