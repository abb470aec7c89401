/**
 * A standalone HTML page from a document's content. Every text and attribute is escaped and only the
 * document model's own elements are written, so nothing typed into a document can become markup or script.
 */
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { SAFE_LINK } from '../../editor/schema';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function markTags(mark: Mark): [string, string] {
  switch (mark.type.name) {
    case 'bold':
      return ['<strong>', '</strong>'];
    case 'italic':
      return ['<em>', '</em>'];
    case 'strike':
      return ['<s>', '</s>'];
    case 'code':
      return ['<code>', '</code>'];
    case 'link': {
      const href = String(mark.attrs.href ?? '');
      if (!SAFE_LINK.test(href)) return ['', ''];
      return [`<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">`, '</a>'];
    }
    default:
      return ['', ''];
  }
}

function inline(node: ProseMirrorNode): string {
  let text: string;
  if (node.isText) text = escapeHtml(node.text ?? '');
  else if (node.type.name === 'hardBreak') text = '<br>';
  else text = '';
  // Marks wrap from the outside in; closing them in reverse keeps the markup well nested.
  const tags = node.marks.map(markTags);
  return (
    tags.map(([open]) => open).join('') +
    text +
    tags
      .map(([, close]) => close)
      .reverse()
      .join('')
  );
}

function children(node: ProseMirrorNode): string {
  let out = '';
  node.forEach((child) => {
    out += child.isInline ? inline(child) : block(child);
  });
  return out;
}

function block(node: ProseMirrorNode): string {
  switch (node.type.name) {
    case 'paragraph':
      return `<p>${children(node)}</p>\n`;
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs.level) || 1));
      return `<h${level}>${children(node)}</h${level}>\n`;
    }
    case 'blockquote':
      return `<blockquote>\n${children(node)}</blockquote>\n`;
    case 'codeBlock': {
      const language =
        typeof node.attrs.language === 'string' ? node.attrs.language.replace(/[^\w+-]/g, '') : '';
      const cls = language ? ` class="language-${language}"` : '';
      return `<pre><code${cls}>${escapeHtml(node.textContent)}</code></pre>\n`;
    }
    case 'horizontalRule':
      return '<hr>\n';
    case 'bulletList':
      return `<ul>\n${children(node)}</ul>\n`;
    case 'orderedList': {
      const start = Number(node.attrs.start) || 1;
      return `<ol${start === 1 ? '' : ` start="${start}"`}>\n${children(node)}</ol>\n`;
    }
    case 'listItem':
      return `<li>${children(node)}</li>\n`;
    case 'taskList':
      return `<ul class="task-list">\n${children(node)}</ul>\n`;
    case 'taskItem': {
      const checked = node.attrs.checked === true;
      return `<li class="task-item"><input type="checkbox" disabled${checked ? ' checked' : ''}> ${children(node)}</li>\n`;
    }
    case 'table':
      return `<table>\n<tbody>\n${children(node)}</tbody>\n</table>\n`;
    case 'tableRow':
      return `<tr>${children(node)}</tr>\n`;
    case 'tableHeader':
      return `<th>${children(node)}</th>`;
    case 'tableCell':
      return `<td>${children(node)}</td>`;
    default:
      return children(node);
  }
}

/** The document as a complete page, in the given language, with its title. */
export function toHtml(content: ProseMirrorNode, title: string, lang: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;line-height:1.6;max-width:48rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem;vertical-align:top}.task-list{list-style:none;padding-left:1rem}blockquote{border-left:4px solid #ccc;margin-left:0;padding-left:1rem}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${children(content)}</body>
</html>
`;
}
