/**
 * A file uploaded as a new document of a space: size-limited before it is read, converted and checked by
 * content (import-file.ts), then created by the space services (which ask `can()` for
 * `space.document.create` and refuse archived spaces) with the converted content as its initial state.
 */
import { entityIdSchema, type Actor } from '@cope/domain';
import type { SessionUser } from '@cope/db';
import { appContext } from '@cope/db/app-context';
import { actorOf } from '../actor';
import { IMPORT_MAX_BYTES, importFile } from './import-file';

export type ImportFailure =
  | 'missing'
  | 'unsupported_type'
  | 'invalid_content'
  | 'too_large'
  | 'empty'
  | 'not_found'
  | 'forbidden'
  | 'archived';

export type ImportOutcome =
  { ok: true; documentId: string; title: string } | { ok: false; code: ImportFailure };

export async function importIntoSpace(
  user: SessionUser,
  spaceId: string,
  file: FormDataEntryValue | null,
): Promise<ImportOutcome> {
  const space = entityIdSchema.safeParse(spaceId);
  if (!space.success) return { ok: false, code: 'not_found' };
  if (!(file instanceof File) || file.name === '') return { ok: false, code: 'missing' };
  // Checked before reading the bytes, so a huge file costs nothing more.
  if (file.size > IMPORT_MAX_BYTES) return { ok: false, code: 'too_large' };
  const actor = actorOf(user) as Actor;
  // Only members learn whether they may import (others get "not found").
  const access = await appContext().spaces.spaceAccessOf(user.id, space.data);
  if (access === null) return { ok: false, code: 'not_found' };
  const converted = await importFile(file.name, new Uint8Array(await file.arrayBuffer()));
  if (!converted.ok) return { ok: false, code: converted.code };
  const created = await appContext().spaces.createDocument(actor, {
    spaceId: space.data,
    title: converted.title,
    initialState: converted.state,
  });
  if (!created.ok) {
    const code =
      created.error === 'archived' ? 'archived' : created.error === 'forbidden' ? 'forbidden' : 'not_found';
    return { ok: false, code };
  }
  return { ok: true, documentId: created.value.id, title: created.value.title };
}

/** HTTP statuses of the refusals, for the API. */
export const IMPORT_STATUS: Record<ImportFailure, number> = {
  missing: 422,
  unsupported_type: 415,
  invalid_content: 422,
  too_large: 413,
  empty: 422,
  not_found: 404,
  forbidden: 403,
  archived: 409,
};
