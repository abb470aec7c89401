/**
 * socket.io's WebSocket engine, with each connection's writes of one tick leaving together.
 *
 * The channels broadcast a stored batch in one loop of emits. Without this, every message is a write
 * system call of its own to every member: 500 per member for a full batch, most of the server's time under
 * a burst. Corked until the end of the tick, they leave as one `writev`. A lone message still leaves in the
 * tick it was sent, so nothing waits for a timer.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export class CoalescingWebSocketServer extends WebSocketServer {
  override handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    upgradeHead: Buffer,
    callback: (client: WebSocket, request: IncomingMessage) => void,
  ): void {
    coalesceWritesPerTick(socket);
    super.handleUpgrade(request, socket, upgradeHead, callback);
  }
}

/** Corks the stream at its first write in a tick and uncorks it once the tick's synchronous work is done. */
export function coalesceWritesPerTick(stream: Duplex): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let corked = false;
  const flush = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: unknown[]): boolean => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(flush);
    }
    return write(...args);
  }) as Duplex['write'];
}
