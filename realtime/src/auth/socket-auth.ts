/**
 * socket.io authentication: a handshake without a valid session cookie is refused with a `connect_error`
 * whose `data` is `{ code: 'unauthenticated' }`. An accepted socket carries `socket.data.user` and
 * `socket.data.sessionId` and joins the room `user:<id>`. When sessions end (sign-out, password change,
 * disabled account) or expire, the matching sockets receive `session:ended` and are disconnected at once.
 */
import { onSessionRevocation, type SessionUser } from '@cope/db';
import type { Logger } from 'pino';
import type { Server as SocketIoServer } from 'socket.io';
import type { SessionExpiryWatcher } from './session-expiry.js';
import { isRevoked, type Authenticator } from './session.js';

export interface SocketSessionData {
  user: SessionUser;
  sessionId: string;
  sessionEndsAt: number;
}

export const userRoom = (userId: string): string => `user:${userId}`;

function unauthenticated(): Error & { data: { code: 'unauthenticated' } } {
  return Object.assign(new Error('unauthenticated'), { data: { code: 'unauthenticated' as const } });
}

/** Installs the middleware and the revocation listener; returns the function that removes the listener. */
export function installSocketAuth(
  io: SocketIoServer,
  authenticate: Authenticator,
  logger: Logger,
  watchExpiry?: SessionExpiryWatcher,
): () => void {
  io.use((socket, next) => {
    authenticate(socket.handshake.headers)
      .then((principal) => {
        if (principal === null) return next(unauthenticated());
        const data: SocketSessionData = {
          user: principal.user,
          sessionId: principal.sessionId,
          sessionEndsAt: principal.sessionEndsAt,
        };
        Object.assign(socket.data as object, data);
        void socket.join(userRoom(principal.user.id));
        next();
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'socket.io: authenticating a handshake failed');
        next(unauthenticated());
      });
  });

  if (watchExpiry) {
    // One timer per socket, armed once it is connected and disarmed when it goes.
    io.on('connection', (socket) => {
      const data = socket.data as SocketSessionData;
      const cancel = watchExpiry({
        userId: data.user.id,
        sessionId: data.sessionId,
        sessionEndsAt: data.sessionEndsAt,
      });
      socket.once('disconnect', cancel);
    });
  }

  return onSessionRevocation((revocation) => {
    for (const socket of io.sockets.sockets.values()) {
      const data = socket.data as Partial<SocketSessionData>;
      if (!data.user || !data.sessionId) continue;
      if (!isRevoked({ userId: data.user.id, sessionId: data.sessionId }, revocation)) continue;
      socket.emit('session:ended');
      socket.disconnect(true);
    }
  });
}
