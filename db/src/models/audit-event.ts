/**
 * The audit log: who did what to whom, and when. Append-only: the model refuses updates and deletes, so no
 * code path through it can rewrite history (retention, when it comes, will be a separate, audited job).
 */
import { Schema } from 'mongoose';
import type { InferSchemaType, Types } from 'mongoose';

export const auditEventSchema = new Schema(
  {
    at: { type: Date, required: true },
    /** Who acted; null for the system itself or an anonymous visitor (e.g. a failed sign-in). */
    actorId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    /** `area.object.verb`, like capability names, e.g. `user.role.change`, `signIn.lockout`. */
    action: { type: String, required: true, maxlength: 100 },
    /** What the action was about, e.g. `{ kind: 'user', id: '…' }`. */
    subject: {
      type: new Schema(
        {
          kind: { type: String, required: true, maxlength: 50 },
          id: { type: String, required: true, maxlength: 200 },
        },
        { _id: false },
      ),
      default: null,
    },
    /** Before/after values and context; never secrets (no passwords, tokens or hashes). */
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { collection: 'audit_events', versionKey: false, strict: 'throw', minimize: false },
);

// Filtering the log: by time, by action over time, by actor over time, by subject.
auditEventSchema.index({ at: -1 });
auditEventSchema.index({ action: 1, at: -1 });
auditEventSchema.index({ actorId: 1, at: -1 });
auditEventSchema.index({ 'subject.kind': 1, 'subject.id': 1, at: -1 });

function refuse(): never {
  throw new Error('The audit log is append-only');
}
for (const op of [
  'updateOne',
  'updateMany',
  'replaceOne',
  'findOneAndUpdate',
  'findOneAndReplace',
  'findOneAndDelete',
  'deleteOne',
  'deleteMany',
] as const) {
  auditEventSchema.pre(op, refuse);
}
auditEventSchema.pre('save', function () {
  if (!this.isNew) refuse();
});

export type AuditEventFields = InferSchemaType<typeof auditEventSchema>;
export type AuditEventRecord = AuditEventFields & { _id: Types.ObjectId };
