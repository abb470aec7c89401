export * from './stored-ack.js';
export * from './versions.js';
