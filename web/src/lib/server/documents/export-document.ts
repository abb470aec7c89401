/**
 * A document's current content as a file: read from the sync server's `documentState` (the live room's
 * state when the document is open, else the stored one), converted with the editor's schema.
 */
import { appContext } from '@cope/db/app-context';
import type { ReadableDocument } from './document-access';
import { toDocx } from './docx-export';
import { EXPORT_TYPES, exportDisposition, type ExportFormat } from './export-format';
import { toHtml } from './html-export';
import { toMarkdown } from './markdown-export';
import { contentOfState } from './yjs-content';

export interface ExportedFile {
  body: Uint8Array<ArrayBuffer> | string;
  headers: Record<string, string>;
}

export async function exportDocument(
  document: Pick<ReadableDocument, 'id' | 'title'>,
  format: ExportFormat,
  lang: string,
): Promise<ExportedFile> {
  const content = contentOfState(await appContext().documents.documentState(document.id));
  const body =
    format === 'md'
      ? toMarkdown(content)
      : format === 'html'
        ? toHtml(content, document.title, lang)
        : await toDocx(content, document.title);
  return {
    body,
    headers: {
      'content-type': EXPORT_TYPES[format],
      'content-disposition': exportDisposition(document.title, format),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      // An exported page opened in the browser runs nothing.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    },
  };
}
