/**
 * DOCX to document content: mammoth turns the Word document into plain semantic HTML (headings, lists,
 * tables, emphasis, links; images are left out), which then goes through the same allow-list as Markdown.
 */
import mammoth from 'mammoth';
import { htmlToContent, type DocJson } from './html-import';

export async function docxToContent(bytes: Uint8Array): Promise<DocJson> {
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    // Images would arrive as data: URLs; a document has no image node, so they are skipped.
    {
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      // Word's title and subtitle styles are headings here (our own DOCX export writes the title so).
      styleMap: ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"],
    },
  );
  return htmlToContent(result.value);
}
