export * from './store.js';
export {
  documentUpdateSchema,
  documentSnapshotSchema,
  documentHeadSchema,
  documentVersionSchema,
} from './models.js';
