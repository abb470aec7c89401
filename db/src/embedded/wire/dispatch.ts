/**
 * Turns a command body into a reply body. The command is the body's first field (names are
 * case-sensitive, as in MongoDB) and `$db` says which database it runs against. Every failure becomes an
 * `ok: 0` reply: MongoServerErrors keep their code; anything unexpected is logged and answered as
 * InternalError, and the connection stays open.
 */
import type { Document } from 'bson';
import { MongoServerError } from '../engine/types';
import type { CommandContext, CommandHandler, ServerState } from './context';
import { catalogCommands } from './commands/catalog';
import { crudCommands } from './commands/crud';
import { handshakeCommands } from './commands/handshake';
import { errorReply, serverError } from './errors';

const COMMANDS = new Map<string, CommandHandler>(
  Object.entries({ ...handshakeCommands, ...catalogCommands, ...crudCommands }),
);

/** Handshake commands the legacy OP_QUERY path may carry; everything else must come as OP_MSG. */
export const OP_QUERY_COMMANDS = new Set(['hello', 'isMaster', 'ismaster']);

const TRANSACTION_COMMANDS = new Set(['commitTransaction', 'abortTransaction']);

/** Commands whose handlers count themselves in serverStatus.opcounters (insert, query, update…). */
const COUNTED_SEPARATELY = new Set([
  'insert',
  'find',
  'update',
  'delete',
  'getMore',
  'findAndModify',
  'findandmodify',
  'aggregate',
]);

export interface ConnectionInfo {
  connectionId: number;
  remoteAddress: string;
}

export function commandName(body: Document): string | undefined {
  for (const key in body) return key;
  return undefined;
}

export function runCommand(
  server: ServerState,
  connection: ConnectionInfo,
  body: Document,
  defaultDb?: string,
): Document {
  const name = commandName(body);
  try {
    const db = typeof body.$db === 'string' ? body.$db : defaultDb;
    if (name === undefined) throw serverError('FailedToParse', 'Command body is empty');
    if (db === undefined || db === '')
      throw serverError('InvalidNamespace', "OP_MSG requests require a '$db' argument");
    if (
      TRANSACTION_COMMANDS.has(name) ||
      body.startTransaction !== undefined ||
      body.autocommit !== undefined ||
      body.txnNumber !== undefined
    ) {
      throw serverError('IllegalOperation', 'Transactions are not supported by the embedded server');
    }
    const handler = COMMANDS.get(name);
    if (handler === undefined) throw serverError('CommandNotFound', `no such command: '${name}'`);
    if (!COUNTED_SEPARATELY.has(name)) server.opcounters.command++;
    const ctx: CommandContext = {
      server,
      connectionId: connection.connectionId,
      remoteAddress: connection.remoteAddress,
      db,
    };
    return { ...handler(body, ctx), ok: 1 };
  } catch (error) {
    if (error instanceof MongoServerError) return errorReply(error);
    server.logger.error(
      { err: error, command: name, connectionId: connection.connectionId },
      'command failed with an unexpected error',
    );
    return errorReply(
      serverError(
        'InternalError',
        `internal error running '${String(name)}': ${(error as Error)?.message ?? String(error)}`,
      ),
    );
  }
}
