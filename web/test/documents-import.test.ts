import { describe, expect, it } from 'vitest';
import { toDocx } from '../src/lib/server/documents/docx-export';
import { exportDisposition } from '../src/lib/server/documents/export-format';
import { IMPORT_MAX_BYTES, importFile, titleFromFileName } from '../src/lib/server/documents/import-file';
import { markdownToContent } from '../src/lib/server/documents/markdown-import';
import { contentOfState, stateOfContent } from '../src/lib/server/documents/yjs-content';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('importing a file', () => {
  it('turns Markdown into a document state titled after the file', async () => {
    const result = await importFile('Meeting_notes 2026.md', utf8('# Agenda\n\n- item'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.title).toBe('Meeting notes 2026');
    expect(contentOfState(result.state).textContent).toBe('Agendaitem');
  });

  it('turns a Word document into a document state', async () => {
    const docx = await toDocx(contentOfState(stateOfContent(markdownToContent('Plain paragraph'))), 'Plan');
    const result = await importFile('plan.docx', docx);
    expect(result.ok).toBe(true);
    if (result.ok) expect(contentOfState(result.state).textContent).toBe('PlanPlain paragraph');
  });

  it('refuses files whose content is not of their kind', async () => {
    expect(await importFile('fake.docx', utf8('# not a zip'))).toMatchObject({
      ok: false,
      code: 'invalid_content',
    });
    // A ZIP that is not a Word document.
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]);
    expect(await importFile('broken.docx', zip)).toMatchObject({ ok: false, code: 'invalid_content' });
    expect(await importFile('binary.md', new Uint8Array([0x23, 0, 0xff]))).toMatchObject({
      ok: false,
      code: 'invalid_content',
    });
    expect(await importFile('latin1.md', new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toMatchObject({
      ok: false,
      code: 'invalid_content',
    });
  });

  it('refuses other kinds, empty and oversized files', async () => {
    expect(await importFile('sheet.xlsx', utf8('x'))).toMatchObject({ ok: false, code: 'unsupported_type' });
    expect(await importFile('empty.md', new Uint8Array())).toMatchObject({ ok: false, code: 'empty' });
    expect(await importFile('big.md', new Uint8Array(IMPORT_MAX_BYTES + 1).fill(0x61))).toMatchObject({
      ok: false,
      code: 'too_large',
    });
  });

  it('never gives an empty title', () => {
    expect(titleFromFileName('.md')).toBe('Imported document');
    expect(titleFromFileName('C:\\Users\\a\\Protocole d’étude.docx')).toBe('Protocole d’étude');
  });
});

describe('export file names', () => {
  it('keep the title exactly in UTF-8 with an ASCII fallback', () => {
    expect(exportDisposition('Protocole d\'étude: "v2"', 'md')).toBe(
      "attachment; filename=\"Protocole d'etude v2.md\"; filename*=UTF-8''Protocole%20d%27%C3%A9tude%20v2.md",
    );
    expect(exportDisposition('///', 'docx')).toBe(
      'attachment; filename="document.docx"; filename*=UTF-8\'\'document.docx',
    );
  });
});
