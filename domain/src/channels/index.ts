/** The channels feature's shared contract: data schemas, socket events, errors, limits, Markdown subset. */
export * from './limits.js';
export * from './errors.js';
export * from './schemas.js';
export * from './events.js';
export * from './markdown.js';
export * from './search-terms.js';
