/**
 * The TCP side of the embedded server: listens, hands each socket to a WireConnection, and shuts down in
 * order (stop accepting, end connections, close the engine).
 */
import net from 'node:net';
import type { Logger } from 'pino';
import type { StorageEngine } from './engine/types';
import { WireConnection } from './wire/connection';
import type { ServerState } from './wire/context';
import { CursorRegistry } from './wire/cursors';

export interface WireServerOptions {
  engine: StorageEngine;
  logger: Logger;
  host: string;
  port: number;
  cursorTimeoutMs: number;
}

export class WireServer {
  private readonly server = net.createServer();
  private readonly connections = new Set<WireConnection>();
  private readonly state: ServerState;
  private nextConnectionId = 1;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WireServerOptions) {
    this.state = {
      engine: options.engine,
      cursors: new CursorRegistry(options.cursorTimeoutMs),
      logger: options.logger,
      startedAt: Date.now(),
      host: options.host,
      port: options.port,
      connections: { current: 0, totalCreated: 0 },
      opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    };
    this.server.on('connection', (socket) => this.accept(socket));
    this.server.on('error', (error) => options.logger.error({ err: error }, 'embedded server socket error'));
  }

  get port(): number {
    return this.state.port;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        const address = this.server.address();
        if (address !== null && typeof address === 'object') this.state.port = address.port;
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    const connection = new WireConnection(socket, this.state, this.nextConnectionId++);
    this.connections.add(connection);
    this.state.connections.current++;
    this.state.connections.totalCreated++;
    this.state.logger.debug(
      { connectionId: connection.id, remote: `${socket.remoteAddress}:${socket.remotePort}` },
      'connection accepted',
    );
    socket.on('close', () => {
      this.connections.delete(connection);
      this.state.connections.current--;
      this.state.logger.debug({ connectionId: connection.id }, 'connection closed');
    });
  }

  /** Idempotent: stops accepting, ends every connection, then closes the engine. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.destroy();
    }).then(() => {
      this.state.cursors.close();
      this.options.engine.close();
    });
    return this.closing;
  }
}
