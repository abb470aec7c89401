/**
 * An organisation's application to join the network, and its two annual reports.
 *
 * The PDFs are stored in `application_files`, one document per file holding the bytes as BSON Binary: a file
 * is at most 10 MB, well under the 16 MB document limit, so one document per file is enough; it is written,
 * read and deleted with ordinary queries (no chunk bookkeeping as GridFS needs), and nothing lives outside
 * the database.
 */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { COUNTRY_CODES, LOCALES } from '@cope/domain';

export const APPLICATION_STATUSES = ['pending', 'more-info-requested', 'approved', 'rejected'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

const decisionSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['approve', 'reject', 'more-info'] },
    category: { type: String, default: null, enum: ['member', 'applicant', null] },
    message: { type: String, default: null, maxlength: 4000 },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false, versionKey: false },
);

export const applicationSchema = new Schema(
  {
    organisationName: { type: String, required: true, trim: true, maxlength: 200 },
    country: { type: String, required: true, enum: COUNTRY_CODES },
    legalStatus: { type: String, required: true, maxlength: 500 },
    website: { type: String, default: null, maxlength: 2048 },
    contactName: { type: String, required: true, maxlength: 200 },
    contactEmail: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    contactLocale: { type: String, required: true, enum: LOCALES },
    motivation: { type: String, required: true, maxlength: 10_000 },
    referenceName: { type: String, required: true, maxlength: 200 },
    referenceContact: { type: String, required: true, maxlength: 500 },
    /** The two annual reports, in `application_files`. */
    reports: {
      type: [
        new Schema(
          {
            fileId: { type: Schema.Types.ObjectId, required: true },
            filename: { type: String, required: true, maxlength: 255 },
            size: { type: Number, required: true },
          },
          { _id: false, versionKey: false },
        ),
      ],
      default: [],
    },
    status: { type: String, required: true, enum: APPLICATION_STATUSES, default: 'pending' },
    createdAt: { type: Date, required: true },
    decisions: { type: [decisionSchema], default: [] },
    /** The organisation created on approval. */
    organisationId: { type: Schema.Types.ObjectId, ref: 'Organisation', default: null },
  },
  { collection: 'applications', versionKey: false, strict: 'throw' },
);

// The staff queue: by status, oldest first.
applicationSchema.index({ status: 1, createdAt: 1 });

export type ApplicationFields = InferSchemaType<typeof applicationSchema>;
export type ApplicationRecord = ApplicationFields & { _id: Types.ObjectId };

export const applicationFileSchema = new Schema(
  {
    applicationId: { type: Schema.Types.ObjectId, ref: 'Application', required: true },
    filename: { type: String, required: true, maxlength: 255 },
    contentType: { type: String, required: true, default: 'application/pdf' },
    data: { type: Buffer, required: true },
  },
  { collection: 'application_files', versionKey: false, strict: 'throw' },
);

applicationFileSchema.index({ applicationId: 1 });
