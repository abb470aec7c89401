import { capabilitiesOf } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import type { z } from 'zod';
import { actorOf } from './actor';
import type { userSchema } from './api-schemas';

/** The signed-in person as the API shows them. */
export function apiUser(user: SessionUser): z.infer<typeof userSchema> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    networkRole: user.networkRole,
    locale: user.locale,
    organisationId: user.organisationId,
    capabilities: capabilitiesOf(actorOf(user)),
  };
}
