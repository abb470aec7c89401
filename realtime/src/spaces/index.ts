export { spaceDocumentAuthorizer } from './sync-authorizer.js';
export {
  recheckSpace,
  watchSpaceAccess,
  type LiveSyncConnection,
  type SpaceConnections,
} from './access-watch.js';
export { decideDocumentAccess, currentActor, type SyncDocumentDecision } from './document-access.js';
export { startTrashPurge } from './trash-purge.js';
