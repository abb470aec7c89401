export * from './limits.js';
export * from './close-codes.js';
export * from './auth/index.js';
export * from './spaces/index.js';
export * from './directory/index.js';
export * from './channels/index.js';
export * from './sync/index.js';
