/** A member organisation of the network, an applicant, or a former member. */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { COUNTRY_CODES, EXPERTISE_AREAS, LANGUAGE_CODES, ORGANISATION_CATEGORIES } from '@cope/domain';

export const organisationSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, maxlength: 200 },
    /** ISO 3166-1 alpha-2, upper case. */
    country: { type: String, required: true, enum: COUNTRY_CODES },
    /** ISO 639-1 codes of the languages the organisation works in. */
    languages: { type: [{ type: String, enum: LANGUAGE_CODES }], default: [] },
    /** Keys from the fixed list of expertise areas; labels are translated in the interface. */
    expertise: { type: [{ type: String, enum: EXPERTISE_AREAS }], default: [] },
    website: { type: String, default: null, maxlength: 2048 },
    description: { type: String, default: '', maxlength: 10_000 },
    category: { type: String, required: true, enum: ORGANISATION_CATEGORIES },
    /** Start of an applicant's term (applicants stay so for 1 to 3 years); null for other categories. */
    termStart: { type: Date, default: null },
    /** The people who represent the organisation (users with `organisationId` set to it). */
    contacts: { type: [{ type: Schema.Types.ObjectId, ref: 'User' }], default: [] },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: 'organisations', versionKey: false, strict: 'throw' },
);

// Directory filters.
organisationSchema.index({ country: 1 });
organisationSchema.index({ category: 1 });
organisationSchema.index({ name: 1 });
organisationSchema.index({ country: 1, category: 1 });
organisationSchema.index({ languages: 1, category: 1 });
organisationSchema.index({ expertise: 1, category: 1 });

export type OrganisationFields = InferSchemaType<typeof organisationSchema>;
export type OrganisationRecord = OrganisationFields & { _id: Types.ObjectId };
