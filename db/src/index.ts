/** @cope/db: database connection (MongoDB or the embedded server) and, in time, the mongoose models. */
export { connectDb, redactUrl, type ConnectDbOptions, type DbHandle } from './connect';
export { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './embedded/index';
export { createLogger } from './logger';
