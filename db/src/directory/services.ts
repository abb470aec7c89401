/**
 * The directory's services bound to one connection: what the host process puts in the app context as
 * `directory`, so the web app's server code calls them without importing the database modules.
 */
import type { Connection } from 'mongoose';
import { createDirectoryOrganisation } from './organisations.js';
import { getOwnProfile, updateOwnProfile } from './own-profile.js';
import { getOrganisationProfile, getPersonProfile } from './profiles.js';
import { searchOrganisations, searchPeople } from './search.js';

type OnConnection<F> = F extends (conn: Connection, ...rest: infer A) => infer R ? (...rest: A) => R : never;

export interface DirectoryServices {
  searchOrganisations: OnConnection<typeof searchOrganisations>;
  searchPeople: OnConnection<typeof searchPeople>;
  getOrganisationProfile: OnConnection<typeof getOrganisationProfile>;
  getPersonProfile: OnConnection<typeof getPersonProfile>;
  getOwnProfile: OnConnection<typeof getOwnProfile>;
  updateOwnProfile: OnConnection<typeof updateOwnProfile>;
  createOrganisation: OnConnection<typeof createDirectoryOrganisation>;
}

export function directoryServices(conn: Connection): DirectoryServices {
  return {
    searchOrganisations: (...a) => searchOrganisations(conn, ...a),
    searchPeople: (...a) => searchPeople(conn, ...a),
    getOrganisationProfile: (...a) => getOrganisationProfile(conn, ...a),
    getPersonProfile: (...a) => getPersonProfile(conn, ...a),
    getOwnProfile: (...a) => getOwnProfile(conn, ...a),
    updateOwnProfile: (...a) => updateOwnProfile(conn, ...a),
    createOrganisation: (...a) => createDirectoryOrganisation(conn, ...a),
  };
}
