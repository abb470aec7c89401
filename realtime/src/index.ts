export { createServer, type RunningServer, type ServerDeps } from './app.js';
export { loadConfig, ConfigError, type Config } from './env.js';
export { createLogger } from './logger.js';
export { SyncEndpoint, refuseAllDocuments, type SyncAuthorizer, type SyncAccess } from './sync/endpoint.js';
