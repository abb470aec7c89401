/**
 * An invitation sent by staff to a person's email: as a contact of an organisation (role `member` and an
 * `organisationId`) or as an individual member (no organisation). The link's token lives in
 * `one_time_tokens` (purpose `invitation`); this document is the lasting record staff see and act on.
 */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { LOCALES, NETWORK_ROLES } from '@cope/domain';

export const INVITATION_STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export const invitationSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    /** The invitee's name if staff typed one (the mail greets them by it; they may change it on accepting). */
    name: { type: String, default: null, trim: true, maxlength: 200 },
    networkRole: { type: String, required: true, enum: NETWORK_ROLES },
    organisationId: { type: Schema.Types.ObjectId, ref: 'Organisation', default: null },
    /** The language of the mail and the default of the new account. */
    locale: { type: String, required: true, enum: LOCALES, default: 'en' },
    invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, required: true, enum: INVITATION_STATUSES, default: 'pending' },
    createdAt: { type: Date, required: true },
    /** When the current link stops working; moved forward by each resend. */
    expiresAt: { type: Date, required: true },
    lastSentAt: { type: Date, required: true },
    /** The account made on accepting. */
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    acceptedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
  },
  { collection: 'invitations', versionKey: false, strict: 'throw' },
);

// Staff lists (by status, newest first) and the "already invited?" check.
invitationSchema.index({ status: 1, createdAt: -1 });
invitationSchema.index({ email: 1, status: 1 });

export type InvitationFields = InferSchemaType<typeof invitationSchema>;
export type InvitationRecord = InvitationFields & { _id: Types.ObjectId };
