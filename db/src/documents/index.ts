export * from './store.js';
export * from './versions.js';
export * from './services.js';
export { documentUpdateSchema, documentSnapshotSchema, documentVersionSchema } from './models.js';
export { InsertThread } from './insert-thread.js';
