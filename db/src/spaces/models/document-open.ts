/** When a person last opened a document: "recently opened" and "changed since your last visit". */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';

export const documentOpenSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    documentId: { type: Schema.Types.ObjectId, ref: 'DocumentNode', required: true },
    spaceId: { type: Schema.Types.ObjectId, ref: 'Space', required: true },
    openedAt: { type: Date, required: true },
  },
  { collection: 'document_opens', versionKey: false, strict: 'throw' },
);

documentOpenSchema.index({ userId: 1, documentId: 1 }, { unique: true });
documentOpenSchema.index({ userId: 1, openedAt: -1 });
documentOpenSchema.index({ documentId: 1 });

export type DocumentOpenFields = InferSchemaType<typeof documentOpenSchema>;
export type DocumentOpenRecord = DocumentOpenFields & { _id: Types.ObjectId };
