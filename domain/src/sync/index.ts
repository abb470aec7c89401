export * from './stored-ack.js';
export * from './versions.js';
export * from './version-page.js';
