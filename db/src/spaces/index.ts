/** Spaces, their members and their document trees: models, access, services. */
export * from './models/index.js';
export * from './access.js';
export * from './access-events.js';
export { publishOrganisationContactChange } from './organisation-changes.js';
export type { SpaceRefusal, SpaceResult } from './result.js';
export * from './spaces.js';
export * from './staff-list.js';
export * from './members.js';
export * from './documents.js';
export * from './activity.js';
export * from './home.js';
export * from './purge.js';
export { templateHeadings, templateUpdate } from './templates.js';
export { bindSpaceServices, type SpaceServices } from './services.js';
