/**
 * Turns a template's structured content into the parts of a mail: a plain-text body (read by many mail
 * clients, screen readers and filters) and a simple, accessible HTML body: `lang` set, a title, real
 * paragraphs, a link whose text says where it leads and whose address is also printed for copying, no
 * images, no tables for layout, system fonts, colours with a contrast above 7:1.
 */
import type { Locale } from '@cope/domain';
import { escapeHtml } from '../html';
import type { MailContent } from './content';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface LayoutWords {
  /** Introduces the link in the plain-text part (`:` or, in French, a no-break space and `:`). */
  colon: string;
  /** The last line of the message. */
  footer: string;
}

export function layout(content: MailContent, locale: Locale, words: LayoutWords): RenderedMail {
  return {
    subject: content.subject,
    text: toText(content, words),
    html: toHtml(content, locale, words.footer),
  };
}

function toText(content: MailContent, words: LayoutWords): string {
  const blocks: string[] = [content.greeting, ...content.intro];
  if (content.action) blocks.push(`${content.action.label}${words.colon}\n${content.action.url}`);
  // "-- " on its own line is the signature separator mail clients recognise (RFC 3676).
  blocks.push(...content.outro, content.signature, `-- \n${words.footer}`);
  return `${blocks.join('\n\n')}\n`;
}

/** Escapes a paragraph and keeps its line breaks. */
function paragraph(text: string): string {
  return `<p>${escapeHtml(text).replace(/\n/g, '<br>\n')}</p>`;
}

function toHtml(content: MailContent, locale: Locale, footer: string): string {
  const parts: string[] = [paragraph(content.greeting), ...content.intro.map(paragraph)];
  if (content.action) {
    const url = escapeHtml(content.action.url);
    parts.push(
      `<p><a href="${url}" style="color:#0b4f8a;font-weight:bold">${escapeHtml(content.action.label)}</a></p>`,
      `<p style="font-size:14px;word-break:break-all">${url}</p>`,
    );
  }
  parts.push(...content.outro.map(paragraph), paragraph(content.signature));
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(locale)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(content.subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:16px;background:#ffffff;color:#1a1a1a;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5">',
    '<main style="max-width:600px">',
    ...parts,
    '</main>',
    `<footer style="max-width:600px;margin-top:24px;font-size:14px;color:#4a4a4a">${paragraph(footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
