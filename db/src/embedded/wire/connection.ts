/**
 * One client connection: frames the byte stream, parses each message, runs its command and writes the
 * reply. Commands run one after another in arrival order; the engine is synchronous, so a reply is only
 * written after the engine has committed. A framing or protocol error closes this connection only, with a
 * log line; nothing a client sends can throw out of here.
 */
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import { MongoServerError } from '../engine/types';
import { OP_COMPRESSED, OP_MSG, OP_QUERY } from './constants';
import type { ServerState } from './context';
import { OP_QUERY_COMMANDS, commandName, runCommand, type ConnectionInfo } from './dispatch';
import { errorReply, serverError } from './errors';
import { FrameError, FrameReader } from './frame-reader';
import { ProtocolError, encodeOpMsg, encodeOpReply, parseOpMsg, parseOpQuery, readHeader } from './messages';

let nextRequestId = 1;
function newRequestId(): number {
  nextRequestId = nextRequestId >= 0x7fffffff ? 1 : nextRequestId + 1;
  return nextRequestId;
}

export class WireConnection {
  private readonly reader = new FrameReader();
  private readonly info: ConnectionInfo;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerState,
    connectionId: number,
  ) {
    this.info = { connectionId, remoteAddress: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (error) => {
      this.server.logger.debug({ err: error, connectionId }, 'connection error');
    });
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('drain', () => socket.resume());
  }

  get id(): number {
    return this.info.connectionId;
  }

  /** Ends the connection (used when the server shuts down). */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    try {
      for (const message of this.reader.push(chunk)) {
        if (this.closed) return;
        this.handleMessage(message);
      }
    } catch (error) {
      if (error instanceof FrameError || error instanceof ProtocolError)
        this.closeForProtocolError(error.message);
      else {
        this.server.logger.error(
          { err: error, connectionId: this.info.connectionId },
          'unexpected error handling a message',
        );
        this.closeForProtocolError('unexpected error handling a message');
      }
    }
  }

  private onEnd(): void {
    if (this.reader.pendingBytes > 0) {
      this.server.logger.warn(
        {
          connectionId: this.info.connectionId,
          remoteAddress: this.info.remoteAddress,
          pendingBytes: this.reader.pendingBytes,
        },
        'connection ended in the middle of a message (truncated frame)',
      );
    }
    this.socket.end();
  }

  private closeForProtocolError(reason: string): void {
    this.server.logger.warn(
      { connectionId: this.info.connectionId, remoteAddress: this.info.remoteAddress, reason },
      `closing connection: ${reason}`,
    );
    this.destroy();
  }

  private handleMessage(message: Buffer): void {
    const header = readHeader(message);
    switch (header.opCode) {
      case OP_MSG: {
        const request = parseOpMsg(message);
        const reply = runCommand(this.server, this.info, request.body);
        // moreToCome: the client expects no answer (unacknowledged writes); the command still ran.
        if (!request.moreToCome) this.write(this.encode(encodeOpMsg, header.requestID, reply, request.body));
        return;
      }
      case OP_QUERY: {
        const request = parseOpQuery(message);
        const reply = this.runOpQuery(request.fullCollectionName, request.query);
        this.write(this.encode(encodeOpReply, header.requestID, reply, request.query));
        return;
      }
      case OP_COMPRESSED:
        throw new ProtocolError('OP_COMPRESSED is not supported (the server never advertises compression)');
      default:
        throw new ProtocolError(`unsupported opCode ${header.opCode}`);
    }
  }

  /** Legacy OP_QUERY is only accepted for the handshake on `<db>.$cmd`, as MongoDB 7 does. */
  private runOpQuery(fullCollectionName: string, query: Document): Document {
    const dot = fullCollectionName.indexOf('.');
    const db = dot > 0 ? fullCollectionName.slice(0, dot) : '';
    const coll = dot > 0 ? fullCollectionName.slice(dot + 1) : '';
    // Drivers may wrap the command as { $query: {...}, $readPreference: ... }.
    const wrapped: unknown = query.$query ?? query.query;
    const body = (
      typeof wrapped === 'object' && wrapped !== null && !Array.isArray(wrapped) ? wrapped : query
    ) as Document;
    const name = commandName(body);
    if (coll !== '$cmd' || name === undefined || !OP_QUERY_COMMANDS.has(name)) {
      return errorReply(
        serverError(
          'UnsupportedOpQueryCommand',
          `Unsupported OP_QUERY command: ${name ?? '(none)'}. The client driver may require an upgrade.`,
        ),
      );
    }
    return runCommand(this.server, this.info, body, db);
  }

  /** Serializes a reply; a reply that cannot be serialized (e.g. too large) becomes an InternalError reply. */
  private encode(
    encoder: (requestId: number, responseTo: number, doc: Document) => Buffer,
    responseTo: number,
    reply: Document,
    request: Document,
  ): Buffer {
    try {
      return encoder(newRequestId(), responseTo, reply);
    } catch (error) {
      this.server.logger.error(
        { err: error, command: commandName(request), connectionId: this.info.connectionId },
        'could not serialize a reply',
      );
      const failure =
        error instanceof MongoServerError
          ? error
          : serverError('InternalError', `could not serialize the reply: ${(error as Error).message}`);
      return encoder(newRequestId(), responseTo, errorReply(failure));
    }
  }

  private write(buffer: Buffer): void {
    if (this.closed || this.socket.destroyed) return;
    // Backpressure: stop reading requests until the client has taken its replies.
    if (!this.socket.write(buffer)) this.socket.pause();
  }
}
