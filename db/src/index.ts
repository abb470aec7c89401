/** @cope/db: the database connection (MongoDB or the embedded server), the models and the services on them. */
export { connectDb, redactUrl, type ConnectDbOptions, type DbHandle } from './connect';
export type { InsertCommand, InsertRefusal } from './insert-commands';
export { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './embedded/index';
export { createLogger } from './logger';
export { startPeriodicSweep, type PeriodicSweep, type SweepLogger } from './periodic-sweep';
export * from './models/index';
export * from './accounts/index';
export * from './mail/index';
export * from './channels/index';
export * from './spaces/index';
export * from './documents/index';
export * from './directory/index';
