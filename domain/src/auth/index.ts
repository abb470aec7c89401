export * from './roles.js';
export * from './capabilities.js';
export * from './codes.js';
export * from './schemas.js';
