/** A person's account. The email is the sign-in name: one account per mailbox, stored lower-cased. */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { LOCALES, NETWORK_ROLES } from '@cope/domain';

export const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    networkRole: { type: String, required: true, enum: NETWORK_ROLES },
    /** argon2id PHC string; null until the person sets a password (an invitation not yet accepted). */
    passwordHash: { type: String, default: null },
    /** A disabled account cannot sign in and holds no capability; its sessions are ended when it is disabled. */
    disabled: { type: Boolean, required: true, default: false },
    locale: { type: String, required: true, enum: LOCALES, default: 'en' },
    /** The organisation this person is a contact of; absent for individual members, affiliates and staff. */
    organisationId: { type: Schema.Types.ObjectId, ref: 'Organisation', default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'users', versionKey: false, strict: 'throw' },
);

userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ organisationId: 1 });

export type UserFields = InferSchemaType<typeof userSchema>;
export type UserRecord = UserFields & { _id: Types.ObjectId };
