/**
 * The safe Markdown subset of channel messages, and its one renderer, shared by server (tests, e-mail
 * digests later) and browser. Messages are stored as Markdown source; every client renders them with this
 * function, whose output is safe to insert as HTML:
 *
 * - every character of the source is escaped: raw HTML never comes out as markup, whatever the input;
 * - the only elements produced are p, br, strong, em, del, code, pre, blockquote, ul, ol, li, a and span;
 *   the only attributes are a link's href/rel/target and a mention's class and data attributes;
 * - links are http:, https: or mailto: only (no javascript:, data:, vbscript: or relative URLs), open in a
 *   new tab with rel="noopener noreferrer nofollow ugc".
 *
 * Supported: paragraphs (blank line), line breaks, **bold**, *italic* or _italic_, ~~strike~~, `code`,
 * fenced code blocks (```), > quotes, - or * bullet lists, 1. numbered lists, [text](url) links, bare
 * http(s) URLs, and mentions `@[Name](person:<id>)` / `@[Name](organisation:<id>)`. Headings, images,
 * tables and HTML are not part of the subset: they stay visible as typed text.
 */
import type { MentionKind } from './schemas.js';

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

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The normalised URL when it is absolute and of a safe protocol; undefined otherwise. */
export function safeUrl(raw: string): string | undefined {
  // Browsers ignore tabs and newlines inside URLs ("java\tscript:"), URL() does the same, then we check.
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return undefined;
  return url.href;
}

/** Mention syntax: `@[label](person:<24 hex>)`. Clients insert it from the mention picker. */
export const MENTION_PATTERN = /@\[([^\]\n]{1,200})\]\((person|organisation):([0-9a-f]{24})\)/gu;

export interface MentionToken {
  kind: MentionKind;
  id: string;
  label: string;
}

/** The mentions written in a message, in order, each (kind, id) once. */
export function extractMentions(body: string): MentionToken[] {
  const seen = new Set<string>();
  const out: MentionToken[] = [];
  for (const m of body.matchAll(MENTION_PATTERN)) {
    const [, label = '', kind = 'person', id = ''] = m;
    const key = `${kind}:${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: kind as MentionKind, id, label });
  }
  return out;
}

export interface RenderOptions {
  /** Current names of mentioned people and organisations by `kind:id`; the written label otherwise. */
  mentionNames?: ReadonlyMap<string, string>;
}

// One alternation, tried left to right at each position: code first, since nothing is parsed inside it.
const INLINE = new RegExp(
  [
    /\\([\\`*_~[\]()@#>+.!-])/.source, // 1: backslash escape
    /(`+)([^`]|[^`][\s\S]*?[^`])\2(?!`)/.source, // 2,3: code span
    /@\[([^\]\n]{1,200})\]\((person|organisation):([0-9a-f]{24})\)/.source, // 4,5,6: mention
    /\[([^\]\n]{1,1000})\]\(([^()\s]{1,2048})\)/.source, // 7,8: link
    /\*\*(?=\S)([\s\S]*?\S)\*\*/.source, // 9: bold
    /~~(?=\S)([\s\S]*?\S)~~/.source, // 10: strike
    /\*(?=\S)([\s\S]*?\S)\*/.source, // 11: italic
    /(?<![\p{L}\p{N}_])_(?=\S)([\s\S]*?\S)_(?![\p{L}\p{N}_])/u.source, // 12: italic
    /(https?:\/\/[^\s<>"]*[^\s<>".,:;'!?)\]])/.source, // 13: bare URL
  ].join('|'),
  'gu',
);

const LINK_ATTRIBUTES = 'rel="noopener noreferrer nofollow ugc" target="_blank"';

function renderInline(text: string, options: RenderOptions, inLink: boolean, depth: number): string {
  if (depth > 8) return escapeHtml(text);
  let out = '';
  let last = 0;
  INLINE.lastIndex = 0;
  const matches = [...text.matchAll(INLINE)];
  for (const m of matches) {
    const index = m.index;
    out += escapeHtml(text.slice(last, index));
    last = index + m[0].length;
    const inner = (s: string | undefined, link = inLink) => renderInline(s ?? '', options, link, depth + 1);
    if (m[1] !== undefined) out += escapeHtml(m[1]);
    else if (m[3] !== undefined) out += `<code>${escapeHtml(m[3])}</code>`;
    else if (m[4] !== undefined) {
      const kind = m[5] ?? 'person';
      const id = m[6] ?? '';
      const name = options.mentionNames?.get(`${kind}:${id}`) ?? m[4];
      out +=
        `<span class="mention" data-mention-kind="${kind}" data-mention-id="${id}">` +
        `@${escapeHtml(name)}</span>`;
    } else if (m[7] !== undefined) {
      const href = inLink ? undefined : safeUrl(m[8] ?? '');
      out +=
        href === undefined
          ? escapeHtml(m[0])
          : `<a href="${escapeHtml(href)}" ${LINK_ATTRIBUTES}>${inner(m[7], true)}</a>`;
    } else if (m[9] !== undefined) out += `<strong>${inner(m[9])}</strong>`;
    else if (m[10] !== undefined) out += `<del>${inner(m[10])}</del>`;
    else if (m[11] !== undefined) out += `<em>${inner(m[11])}</em>`;
    else if (m[12] !== undefined) out += `<em>${inner(m[12])}</em>`;
    else if (m[13] !== undefined) {
      const href = inLink ? undefined : safeUrl(m[13]);
      out +=
        href === undefined
          ? escapeHtml(m[13])
          : `<a href="${escapeHtml(href)}" ${LINK_ATTRIBUTES}>${escapeHtml(m[13])}</a>`;
    }
  }
  return out + escapeHtml(text.slice(last));
}

const FENCE = /^\s{0,3}```[\w+-]*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

function renderBlocks(lines: string[], options: RenderOptions, depth: number): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length === 0) return;
    out.push(`<p>${paragraph.map((l) => renderInline(l, options, false, 0)).join('<br>')}</p>`);
    paragraph = [];
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      i++;
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) code.push(lines[i++] ?? '');
      i++; // the closing fence (or the end of the message)
      out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (depth < 3 && QUOTE.test(line)) {
      flush();
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? ''))
        quoted.push(QUOTE.exec(lines[i++] ?? '')?.[1] ?? '');
      out.push(`<blockquote>${renderBlocks(quoted, options, depth + 1)}</blockquote>`);
      continue;
    }
    const listKind = BULLET.test(line) ? 'ul' : NUMBERED.test(line) ? 'ol' : undefined;
    if (listKind !== undefined) {
      flush();
      const pattern = listKind === 'ul' ? BULLET : NUMBERED;
      const items: string[] = [];
      while (i < lines.length && pattern.test(lines[i] ?? '')) {
        items.push(`<li>${renderInline(pattern.exec(lines[i++] ?? '')?.[1] ?? '', options, false, 0)}</li>`);
      }
      out.push(`<${listKind}>${items.join('')}</${listKind}>`);
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line);
    i++;
  }
  flush();
  return out.join('');
}

/** The message's HTML: safe to insert as markup (see the module comment for what it may contain). */
export function renderMessageMarkdown(source: string, options: RenderOptions = {}): string {
  return renderBlocks(source.replace(/\r\n?/g, '\n').split('\n'), options, 0);
}
