/** What a command handler can see: the shared server state and the connection that sent the command. */
import type { Document } from 'bson';
import type { Logger } from 'pino';
import type { StorageEngine } from '../engine/types';
import type { CursorRegistry } from './cursors';

export interface OpCounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

export interface ServerState {
  readonly engine: StorageEngine;
  readonly cursors: CursorRegistry;
  readonly logger: Logger;
  readonly startedAt: number;
  readonly host: string;
  port: number;
  readonly connections: { current: number; totalCreated: number };
  readonly opcounters: OpCounters;
}

export interface CommandContext {
  readonly server: ServerState;
  readonly connectionId: number;
  /** `ip:port` of the client. */
  readonly remoteAddress: string;
  /** The `$db` of the command. */
  readonly db: string;
}

/** Runs one command and returns its reply body (without `ok`, which the dispatcher adds). */
export type CommandHandler = (body: Document, ctx: CommandContext) => Document;
