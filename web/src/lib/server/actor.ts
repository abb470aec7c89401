import type { Actor } from '@cope/domain';
import type { SessionUser } from '@cope/db';

/** The capability table's view of the signed-in person (null: anonymous). */
export function actorOf(user: SessionUser | null): Actor | null {
  return user === null ? null : { userId: user.id, networkRole: user.networkRole, disabled: user.disabled };
}
