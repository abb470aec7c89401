/**
 * An uploaded file to the initial state of a new document. The kind comes from the file name, and the
 * bytes must really be of that kind (a DOCX is a ZIP that mammoth can read; Markdown is UTF-8 text without
 * NUL bytes), so a renamed binary is refused rather than stored as gibberish.
 */
import { docxToContent } from './docx-import';
import type { DocJson } from './html-import';
import { markdownToContent } from './markdown-import';
import { stateOfContent } from './yjs-content';

/** The largest file accepted for import. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;
/** The largest document an import may produce (its Yjs state). */
const IMPORT_MAX_STATE_BYTES = 4 * 1024 * 1024;

export type ImportKind = 'markdown' | 'docx';

export type ImportResult =
  | { ok: true; title: string; state: Uint8Array }
  | { ok: false; code: 'unsupported_type' | 'invalid_content' | 'too_large' | 'empty'; message: string };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function importKindOf(fileName: string): ImportKind | null {
  const name = fileName.toLowerCase();
  if (name.endsWith('.docx')) return 'docx';
  if (name.endsWith('.md') || name.endsWith('.markdown') || name.endsWith('.txt')) return 'markdown';
  return null;
}

/** The title a document gets from its file's name: without the extension, tidied, never empty. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(docx|md|markdown|txt)$/i, '');
  const tidy = base
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/[_]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
  return tidy || 'Imported document';
}

function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return null;
  }
}

export async function importFile(fileName: string, bytes: Uint8Array): Promise<ImportResult> {
  const kind = importKindOf(fileName);
  if (kind === null) {
    return { ok: false, code: 'unsupported_type', message: 'Import a Markdown (.md) or Word (.docx) file.' };
  }
  if (bytes.byteLength === 0) return { ok: false, code: 'empty', message: 'The file is empty.' };
  if (bytes.byteLength > IMPORT_MAX_BYTES) {
    return {
      ok: false,
      code: 'too_large',
      message: `A file for import can have at most ${IMPORT_MAX_BYTES} bytes.`,
    };
  }
  let content: DocJson;
  try {
    if (kind === 'docx') {
      if (!ZIP_MAGIC.every((byte, i) => bytes[i] === byte)) throw new Error('not a ZIP file');
      content = await docxToContent(bytes);
    } else {
      const text = decodeText(bytes);
      if (text === null) throw new Error('not UTF-8 text');
      content = markdownToContent(text);
    }
  } catch {
    return {
      ok: false,
      code: 'invalid_content',
      message: kind === 'docx' ? 'The file is not a readable Word document.' : 'The file is not UTF-8 text.',
    };
  }
  const state = stateOfContent(content);
  if (state.byteLength > IMPORT_MAX_STATE_BYTES) {
    return { ok: false, code: 'too_large', message: 'The document is too large to import.' };
  }
  return { ok: true, title: titleFromFileName(fileName), state };
}
