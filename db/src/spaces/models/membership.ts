/**
 * One member of a space: a person, or a whole organisation (every contact of it, present and future), with a
 * role. A person reached both ways holds the higher of the two roles.
 */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { SPACE_ROLES } from '@cope/domain';

export const MEMBER_KINDS = ['user', 'organisation'] as const;
export type MemberKind = (typeof MEMBER_KINDS)[number];

/** `user:<id>` or `organisation:<id>`: one key, so one unique index keeps each member in a space once. */
export function memberKeyOf(kind: MemberKind, id: string): string {
  return `${kind}:${id}`;
}

export const spaceMembershipSchema = new Schema(
  {
    spaceId: { type: Schema.Types.ObjectId, ref: 'Space', required: true },
    kind: { type: String, required: true, enum: MEMBER_KINDS },
    memberKey: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    organisationId: { type: Schema.Types.ObjectId, ref: 'Organisation', default: null },
    role: { type: String, required: true, enum: SPACE_ROLES },
    /** Who added the member (null for the system, e.g. a space's first owner named at creation). */
    addedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    addedAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'space_memberships', versionKey: false, strict: 'throw' },
);

spaceMembershipSchema.index({ spaceId: 1, memberKey: 1 }, { unique: true });
// "My spaces": by person, and by the organisation a person is a contact of.
spaceMembershipSchema.index({ userId: 1 });
spaceMembershipSchema.index({ organisationId: 1 });

export type SpaceMembershipFields = InferSchemaType<typeof spaceMembershipSchema>;
export type SpaceMembershipRecord = SpaceMembershipFields & { _id: Types.ObjectId };
