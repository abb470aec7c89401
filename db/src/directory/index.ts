/** The member directory: searches, profile pages, one's own profile and its visibility choices. */
export * from './types.js';
export { foldName } from './names.js';
export { searchOrganisations, searchPeople, type DirectoryReadOptions } from './search.js';
export { getOrganisationProfile, getPersonProfile } from './profiles.js';
export { getOwnProfile, updateOwnProfile, type OwnProfileOptions } from './own-profile.js';
export { createDirectoryOrganisation } from './organisations.js';
export { directoryServices, type DirectoryServices } from './services.js';
export { applyProfileDefaults } from './defaults.js';
