/**
 * Single-use tokens sent in links (set a password, reset it, accept an invitation, confirm an email). The `_id`
 * is the SHA-256 (lower-case hex) of the token in the link, so a copy of this collection opens nothing. Using a
 * token deletes its document in the same operation that finds it (see `../accounts/one-time-tokens.ts`).
 */
import { Schema } from 'mongoose';
import type { InferSchemaType } from 'mongoose';

export const ONE_TIME_TOKEN_PURPOSES = [
  'set-password',
  'password-reset',
  'invitation',
  'email-confirmation',
] as const;
export type OneTimeTokenPurpose = (typeof ONE_TIME_TOKEN_PURPOSES)[number];

export const oneTimeTokenSchema = new Schema(
  {
    _id: { type: String, required: true, match: /^[0-9a-f]{64}$/ },
    purpose: { type: String, required: true, enum: ONE_TIME_TOKEN_PURPOSES },
    /** The account the token acts on (set-password, password-reset, email-confirmation). */
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    /** The invitation the token accepts (purpose `invitation`). */
    invitationId: { type: Schema.Types.ObjectId, ref: 'Invitation', default: null },
    createdAt: { type: Date, required: true },
    /** Past this the token is refused; the database then deletes it. */
    expiresAt: { type: Date, required: true },
  },
  { collection: 'one_time_tokens', versionKey: false, strict: 'throw' },
);

// TTL: expired tokens disappear (using one checks the time itself too: the TTL monitor runs only periodically).
oneTimeTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
// Revoking a person's or an invitation's outstanding tokens.
oneTimeTokenSchema.index({ userId: 1, purpose: 1 });
oneTimeTokenSchema.index({ invitationId: 1 });

export type OneTimeTokenRecord = InferSchemaType<typeof oneTimeTokenSchema>;
