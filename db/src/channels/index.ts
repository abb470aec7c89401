/** The channels: models, access, services and the group-commit message writer. */
export * from './models.js';
export * from './access.js';
export type { ChannelResult } from './result.js';
export * from './views.js';
export * from './services.js';
export * from './writer.js';
