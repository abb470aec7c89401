/**
 * The document tree of a space: folders and documents. A document's content (its Yjs updates) is stored
 * apart, by the sync server's store, under the node's id.
 */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';
import { DOCUMENT_NODE_TYPES, DOCUMENT_TEMPLATES } from '@cope/domain';

export const documentNodeSchema = new Schema(
  {
    spaceId: { type: Schema.Types.ObjectId, ref: 'Space', required: true },
    type: { type: String, required: true, enum: DOCUMENT_NODE_TYPES },
    title: { type: String, required: true, trim: true, maxlength: 200 },
    /** The template a document started from (its kind); null for folders and imported documents. */
    template: { type: String, enum: [...DOCUMENT_TEMPLATES, null], default: null },
    ownerId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** The folder it is in; null at the space's root. */
    parentId: { type: Schema.Types.ObjectId, ref: 'DocumentNode', default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
    updatedAt: { type: Date, required: true, default: () => new Date() },
    lastEditedAt: { type: Date, default: null },
    lastEditedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    /** In the trash since then; purged 30 days later. */
    trashedAt: { type: Date, default: null },
    trashedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    /**
     * Set on the contents of a trashed folder: the folder they went to the trash with, so that restoring the
     * folder brings back exactly them (and not what had been trashed on its own before).
     */
    trashedWith: { type: Schema.Types.ObjectId, ref: 'DocumentNode', default: null },
  },
  { collection: 'space_documents', versionKey: false, strict: 'throw' },
);

documentNodeSchema.index({ spaceId: 1, parentId: 1 });
documentNodeSchema.index({ trashedWith: 1 });
// "Changed since your last visit": recent edits in a person's spaces.
documentNodeSchema.index({ spaceId: 1, lastEditedAt: -1 });
// The purge sweep: trashed items older than the retention.
documentNodeSchema.index({ trashedAt: 1 });

export type DocumentNodeFields = InferSchemaType<typeof documentNodeSchema>;
export type DocumentNodeRecord = DocumentNodeFields & { _id: Types.ObjectId };
