export * from './limits.js';
export * from './close-codes.js';
