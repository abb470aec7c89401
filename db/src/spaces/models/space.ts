/** A collaboration space: a project, a research study or a working group. */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { COUNTRY_CODES, LANGUAGE_CODES, SPACE_KINDS } from '@cope/domain';

export const spaceSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: 200 },
    description: { type: String, default: '', maxlength: 5000 },
    kind: { type: String, required: true, enum: SPACE_KINDS },
    /** ISO 3166-1 alpha-2 codes of the countries the space works in. */
    countries: { type: [{ type: String, enum: COUNTRY_CODES }], default: [] },
    /** ISO 639-1 codes of its working languages. */
    languages: { type: [{ type: String, enum: LANGUAGE_CODES }], default: [] },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
    updatedAt: { type: Date, required: true, default: () => new Date() },
    /** Archived spaces are read-only for everyone until staff restore them. */
    archivedAt: { type: Date, default: null },
    archivedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  },
  { collection: 'spaces', versionKey: false, strict: 'throw' },
);

export type SpaceFields = InferSchemaType<typeof spaceSchema>;
export type SpaceRecord = SpaceFields & { _id: Types.ObjectId };
