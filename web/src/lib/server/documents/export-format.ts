/** The export formats of a document, with their media type and file extension, and the file's name. */
import { z } from 'zod';

export const exportFormatSchema = z.enum(['md', 'html', 'docx']);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * A `Content-Disposition` for the title: an ASCII fallback name (accents dropped, unsafe characters
 * replaced) and the exact name in UTF-8 (RFC 6266 / 5987), so "Protocole d'étude" keeps its accents.
 */
export function exportDisposition(title: string, format: ExportFormat): string {
  const base =
    title
      // Control characters and characters file systems refuse become spaces.
      // eslint-disable-next-line no-control-regex
      .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 120) || 'document';
  const ascii = base
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/[%;,]/g, '_');
  const exact = encodeURIComponent(`${base}.${format}`).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${exact}`;
}
