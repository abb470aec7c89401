/**
 * Form actions of the space pages: read fields, validate them with the shared zod schemas, and answer in
 * the shape the pages' error summary and status message expect (see ../answer.ts).
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import type { SpaceRefusal } from '@cope/db';
import { refusalMessage, type Answer, type FieldError, type Message } from '../answer';

export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

export async function readForm(request: Request): Promise<FormData> {
  return request.formData().catch(() => new FormData());
}

/** The field id and message for each invalid input, by the name of the schema field that failed. */
export type FieldMessages = Record<string, { field: string; message: Message }>;

/** Errors of a failed parse, one per field (the first issue of each), in the order of `fields`. */
export function fieldErrors(error: z.ZodError, fields: FieldMessages): FieldError[] {
  const failed = new Set(error.issues.map((issue) => String(issue.path[0] ?? '')));
  const errors = Object.entries(fields)
    .filter(([name]) => failed.has(name))
    .map(([, error]) => error);
  // An issue on no known field still deserves a line in the summary.
  return errors.length > 0
    ? errors
    : [{ field: Object.values(fields)[0]?.field ?? 'main', message: { key: 'spaces.errors.other' } }];
}

export function invalid(
  form: string,
  errors: FieldError[],
  values: Record<string, string>,
): ActionFailure<{ answer: Answer }> {
  return fail(400, { answer: { kind: 'errors', form, errors, values } });
}

export function refused(
  form: string,
  refusal: SpaceRefusal,
  values: Record<string, string> = {},
): ActionFailure<{ answer: Answer }> {
  const status = refusal === 'forbidden' ? 403 : refusal === 'not-found' ? 404 : 400;
  return fail(status, {
    answer: { kind: 'errors', form, errors: [], refusal: refusalMessage(refusal), values },
  });
}

export function done(form: string, message: Message): { answer: Answer } {
  return { answer: { kind: 'done', form, message } };
}

/** "FR, de ,it" -> ["FR", "de", "it"]: the schema then checks and normalises each code. */
export function codeList(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
