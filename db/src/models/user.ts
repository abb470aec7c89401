/** A person's account. The email is the sign-in name: one account per mailbox, stored lower-cased. */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { COUNTRY_CODES, EXPERTISE_AREAS, LANGUAGE_CODES, LOCALES, NETWORK_ROLES } from '@cope/domain';

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
    /**
     * When the person proved they hold the mailbox. Null: an affiliate who signed up and has not confirmed
     * yet (they cannot sign in). Absent: an account staff or the CLI made (the invitation or the operator
     * vouched for the address).
     */
    emailConfirmedAt: { type: Date },
    /** The person's directory profile (db/src/directory/): empty strings and lists mean "not given". */
    profile: {
      jobTitle: { type: String, default: '', maxlength: 200 },
      country: { type: String, enum: [...COUNTRY_CODES, null], default: null },
      languages: { type: [{ type: String, enum: LANGUAGE_CODES }], default: [] },
      expertise: { type: [{ type: String, enum: EXPERTISE_AREAS }], default: [] },
      bio: { type: String, default: '', maxlength: 2000 },
      phone: { type: String, default: '', maxlength: 40 },
      website: { type: String, default: '', maxlength: 2048 },
    },
    /** What of theirs the person shows in the directory; the defaults respect privacy (phone hidden). */
    profileVisibility: {
      listed: { type: Boolean, required: true, default: true },
      email: { type: Boolean, required: true, default: true },
      phone: { type: Boolean, required: true, default: false },
    },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'users', versionKey: false, strict: 'throw' },
);

userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ organisationId: 1 });
// Directory searches: the listed people of the network roles in the directory, alone or by one filter.
userSchema.index({ 'profileVisibility.listed': 1, networkRole: 1 });
userSchema.index({ 'profile.country': 1, 'profileVisibility.listed': 1, networkRole: 1 });
userSchema.index({ 'profile.languages': 1, 'profileVisibility.listed': 1, networkRole: 1 });
userSchema.index({ 'profile.expertise': 1, 'profileVisibility.listed': 1, networkRole: 1 });

export type UserFields = InferSchemaType<typeof userSchema>;
export type UserRecord = UserFields & { _id: Types.ObjectId };
