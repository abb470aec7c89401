/**
 * Accounts made before profiles existed have no `profileVisibility`. Searches ask the database for
 * `profileVisibility.listed: true` (an equality an index answers), which such accounts would not match, so
 * the process writes the defaults into them once at start-up. Later accounts get them from the schema.
 */
import { DEFAULT_PROFILE_VISIBILITY } from '@cope/domain';
import type { Connection } from 'mongoose';
import { models } from '../models/index.js';

/** Returns how many accounts were given the default choices. */
export async function applyProfileDefaults(conn: Connection): Promise<number> {
  const result = await models(conn).User.updateMany(
    { profileVisibility: { $exists: false } },
    { $set: { profileVisibility: { ...DEFAULT_PROFILE_VISIBILITY } } },
  );
  return result.modifiedCount;
}
