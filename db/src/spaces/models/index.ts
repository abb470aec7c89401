export * from './space.js';
export * from './membership.js';
export * from './document-node.js';
export * from './document-open.js';
