/**
 * Markdown to document content: markdown-it (CommonMark + GitHub tables and strikethrough) with raw HTML
 * switched off, so HTML in the file stays text; its output goes through the same allow-list as DOCX.
 */
import MarkdownIt from 'markdown-it';
import { htmlToContent, type DocJson } from './html-import';

const markdown = new MarkdownIt('default', { html: false, linkify: true, typographer: false });

export function markdownToContent(text: string): DocJson {
  return htmlToContent(markdown.render(text));
}
