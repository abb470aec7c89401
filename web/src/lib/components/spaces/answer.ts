/**
 * What a space form action answers, as plain data: a message to announce after a change, or the errors
 * to list in the error summary (each linked to its field). Messages travel as catalog keys and are
 * translated in the page, in the reader's language.
 */
import type { SpaceRefusal } from '@cope/db';
import type { MessageKey, Translate } from '$lib/i18n';

export interface Message {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface FieldError {
  /** The id of the control, so the summary links to it. */
  field: string;
  message: Message;
}

export type Answer =
  | { kind: 'done'; form: string; message: Message }
  | { kind: 'errors'; form: string; errors: FieldError[]; refusal?: Message; values: Record<string, string> };

/** Translates a message whose key and parameters are only known at run time. */
export function say(t: Translate, message: Message): string {
  const untyped = t as unknown as (key: MessageKey, params?: Record<string, string | number>) => string;
  return untyped(message.key, message.params);
}

/** The words for a refusal of the space services. */
export function refusalMessage(refusal: SpaceRefusal): Message {
  switch (refusal) {
    case 'not-found':
      return { key: 'spaces.errors.notFound' };
    case 'forbidden':
      return { key: 'spaces.errors.forbidden' };
    case 'archived':
      return { key: 'spaces.errors.archived' };
    case 'last-owner':
      return { key: 'spaces.errors.lastOwner' };
    case 'unknown-person':
    case 'not-eligible':
      return { key: 'spaces.errors.noAccount' };
    case 'already-member':
      return { key: 'spaces.errors.alreadyMember' };
    case 'invalid-parent':
      return { key: 'spaces.errors.folder' };
    case 'organisation-membership':
      return { key: 'spaces.errors.organisationMembership' };
    case 'cycle':
      return { key: 'spaces.errors.cycle' };
    default:
      return { key: 'spaces.errors.other' };
  }
}

/** The errors of one field, if any (for `aria-invalid` and the message next to the control). */
export function fieldError(
  answer: Answer | null | undefined,
  form: string,
  field: string,
): Message | undefined {
  if (!answer || answer.kind !== 'errors' || answer.form !== form) return undefined;
  return answer.errors.find((e) => e.field === field)?.message;
}

/** The value typed before a failed submission, so nothing is lost. */
export function valueOf(answer: Answer | null | undefined, form: string, name: string): string | undefined {
  if (!answer || answer.kind !== 'errors' || answer.form !== form) return undefined;
  return answer.values[name];
}
