/**
 * Reads the application form (multipart) into the service's input: the text fields as strings and the two
 * annual reports as bytes. Used by the /join page's action and by `POST /api/v1/applications`, so both take
 * the same fields. The service validates everything (files by content, never by name).
 */
import type { UploadedFile } from '@cope/db';

export const APPLICATION_TEXT_FIELDS = [
  'organisationName',
  'country',
  'legalStatus',
  'website',
  'contactName',
  'contactEmail',
  'contactLocale',
  'motivation',
  'referenceName',
  'referenceContact',
] as const;

export type ApplicationFormValues = Record<(typeof APPLICATION_TEXT_FIELDS)[number], string>;

export interface ApplicationForm {
  values: ApplicationFormValues;
  files: (UploadedFile | undefined)[];
}

async function fileOf(form: FormData, name: string): Promise<UploadedFile | undefined> {
  const entry = form.get(name);
  // A file input left empty arrives as a nameless, empty file.
  if (!(entry instanceof File) || (entry.size === 0 && entry.name === '')) return undefined;
  return { filename: entry.name, data: new Uint8Array(await entry.arrayBuffer()) };
}

export async function readApplicationForm(form: FormData): Promise<ApplicationForm> {
  const values = {} as ApplicationFormValues;
  for (const name of APPLICATION_TEXT_FIELDS) {
    const entry = form.get(name);
    values[name] = typeof entry === 'string' ? entry.slice(0, 20_000) : '';
  }
  return { values, files: [await fileOf(form, 'report1'), await fileOf(form, 'report2')] };
}
