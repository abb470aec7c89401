/**
 * What every spaces and documents endpoint shares: who is asking (401 when nobody), and how a service's
 * refusal becomes an HTTP answer. People outside a space get 404 exactly as for a space that does not
 * exist, so the API never reveals one.
 */
import type { Actor } from '@cope/domain';
import type { SpaceRefusal, SpaceResult } from '@cope/db';
import { json } from '@sveltejs/kit';
import { apiError, unauthenticated } from '$lib/server/api';
import { actorOf } from '$lib/server/actor';

const REFUSALS: Record<SpaceRefusal, { status: number; code: string; message: string }> = {
  'not-found': { status: 404, code: 'not_found', message: 'No such space, document or member.' },
  forbidden: { status: 403, code: 'forbidden', message: 'Your role in this space does not allow this.' },
  archived: { status: 409, code: 'archived', message: 'The space is archived: it is read-only.' },
  'last-owner': { status: 409, code: 'last_owner', message: 'A space keeps at least one owner.' },
  'unknown-person': {
    status: 422,
    code: 'unknown_person',
    message: 'No account has this email. Ask staff to invite the person to the network first.',
  },
  'unknown-organisation': { status: 422, code: 'unknown_organisation', message: 'No such organisation.' },
  'not-eligible': {
    status: 422,
    code: 'not_eligible',
    message: 'This account cannot be in spaces (affiliate or disabled).',
  },
  'already-member': { status: 409, code: 'already_member', message: 'Already a member of this space.' },
  'organisation-membership': {
    status: 409,
    code: 'organisation_membership',
    message: 'You are in this space through your organisation; an owner can change that membership.',
  },
  'invalid-parent': {
    status: 422,
    code: 'invalid_parent',
    message: 'The folder does not exist in this space or is in the trash.',
  },
  cycle: {
    status: 422,
    code: 'cycle',
    message: 'A folder cannot move into itself or one of its subfolders.',
  },
  trashed: { status: 409, code: 'trashed', message: 'It is in the trash: restore it first.' },
  'not-trashed': { status: 409, code: 'not_trashed', message: 'It is not in the trash.' },
  'too-large': { status: 413, code: 'too_large', message: 'The content is larger than a document may be.' },
};

export function refusal(error: SpaceRefusal): Response {
  const r = REFUSALS[error];
  return apiError(r.status, r.code, r.message);
}

/** The asking person as an actor, or the 401 answer. */
export function actorOrResponse(user: App.Locals['user']): { actor: Actor } | { response: Response } {
  const actor = actorOf(user);
  return actor === null ? { response: unauthenticated() } : { actor };
}

/** 200 (or `status`) with `wrap(value)`, or the refusal's answer. */
export function respond<T>(result: SpaceResult<T>, wrap: (value: T) => unknown, status = 200): Response {
  if (!result.ok) return refusal(result.error);
  return json(wrap(result.value), { status });
}
