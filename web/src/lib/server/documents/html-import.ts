/**
 * HTML (from markdown-it or mammoth) to document content, by an allow-list: only the elements the document
 * model has become nodes and marks; scripts, styles, frames and their content are dropped; any other element
 * keeps only its text; links keep only http(s) and mailto addresses. No attribute passes through except a
 * list's start number and a code block's language. The result is ProseMirror JSON for the editor's schema
 * (the caller checks it against the schema before storing).
 */
import { parseDocument } from 'htmlparser2';
import { isTag, isText, type ChildNode, type Element } from 'domhandler';
import { SAFE_LINK } from '../../editor/schema';

export interface MarkJson {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface NodeJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NodeJson[];
  marks?: MarkJson[];
  text?: string;
}
export interface DocJson extends NodeJson {
  type: 'doc';
  content: NodeJson[];
}

const DROPPED = new Set([
  'script',
  'style',
  'head',
  'title',
  'template',
  'iframe',
  'object',
  'embed',
  'noscript',
  'svg',
  'math',
  'button',
  'select',
  'textarea',
  'canvas',
  'video',
  'audio',
]);
const BLOCKS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'hr',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'div',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'dl',
  'dt',
  'dd',
  'body',
  'html',
  'address',
  'caption',
]);
const TASK_PREFIX = /^\s*\[([ xX])\]\s+/;

const isElement = (node: ChildNode): node is Element => isTag(node);

function textOf(node: ChildNode): string {
  if (isText(node)) return node.data;
  if (isElement(node)) return node.children.map(textOf).join('');
  return '';
}

function markFor(element: Element): MarkJson | null {
  switch (element.name) {
    case 'strong':
    case 'b':
      return { type: 'bold' };
    case 'em':
    case 'i':
      return { type: 'italic' };
    case 's':
    case 'del':
    case 'strike':
      return { type: 'strike' };
    case 'code':
    case 'kbd':
    case 'samp':
      return { type: 'code' };
    case 'a': {
      const href = (element.attribs.href ?? '').trim();
      return SAFE_LINK.test(href) ? { type: 'link', attrs: { href } } : null;
    }
    default:
      return null;
  }
}

function inline(nodes: ChildNode[], marks: MarkJson[], out: NodeJson[]): void {
  for (const node of nodes) {
    if (isText(node)) {
      const text = node.data.replace(/\s+/g, ' ');
      if (text) out.push(marks.length ? { type: 'text', text, marks } : { type: 'text', text });
    } else if (isElement(node)) {
      if (DROPPED.has(node.name)) continue;
      if (node.name === 'br') {
        out.push({ type: 'hardBreak' });
        continue;
      }
      if (node.name === 'img') {
        const alt = (node.attribs.alt ?? '').trim();
        if (alt) out.push({ type: 'text', text: alt, ...(marks.length ? { marks } : {}) });
        continue;
      }
      const mark = markFor(node);
      // `code` inside anything excludes other marks in Tiptap's schema, so it stands alone.
      const next =
        mark === null
          ? marks
          : mark.type === 'code'
            ? [mark]
            : [...marks.filter((m) => m.type !== mark.type), mark];
      inline(node.children, next, out);
    }
  }
}

/** Inline content ready for a textblock: whitespace trimmed at both ends, no empty text nodes. */
function tidyInline(nodes: NodeJson[]): NodeJson[] {
  const out = nodes.map((node) => ({ ...node }));
  const first = out[0];
  if (first?.text !== undefined) first.text = first.text.trimStart();
  const last = out[out.length - 1];
  if (last?.text !== undefined) last.text = last.text.trimEnd();
  while (out[out.length - 1]?.type === 'hardBreak') out.pop();
  return out.filter((node) => node.text === undefined || node.text.length > 0);
}

function textblock(type: string, nodes: ChildNode[], attrs?: Record<string, unknown>): NodeJson {
  const content: NodeJson[] = [];
  inline(nodes, [], content);
  const tidy = tidyInline(content);
  return { type, ...(attrs ? { attrs } : {}), ...(tidy.length ? { content: tidy } : {}) };
}

function isBlockElement(node: ChildNode): node is Element {
  return isElement(node) && (BLOCKS.has(node.name) || DROPPED.has(node.name));
}

/** Blocks from a list of nodes: loose inline content between blocks becomes paragraphs. */
function blocks(nodes: ChildNode[]): NodeJson[] {
  const out: NodeJson[] = [];
  let pending: ChildNode[] = [];
  const flush = () => {
    const content: NodeJson[] = [];
    inline(pending, [], content);
    pending = [];
    const tidy = tidyInline(content);
    if (tidy.length) out.push({ type: 'paragraph', content: tidy });
  };
  for (const node of nodes) {
    if (isBlockElement(node)) {
      flush();
      out.push(...block(node));
    } else {
      pending.push(node);
    }
  }
  flush();
  return out;
}

const atLeastOneParagraph = (content: NodeJson[]) => (content.length ? content : [{ type: 'paragraph' }]);

function listItemContent(nodes: ChildNode[], stripTaskPrefix: boolean): NodeJson[] {
  const content = blocks(nodes);
  if (stripTaskPrefix) stripPrefix(content);
  // A list item starts with a paragraph in the schema.
  const first = content[0];
  if (first?.type === 'heading') first.type = 'paragraph';
  if (first?.type === 'heading' || first?.type === 'paragraph') delete first.attrs;
  if (content[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
  return content;
}

function stripPrefix(content: NodeJson[]): void {
  const firstText = content[0]?.content?.[0];
  if (firstText?.text !== undefined) {
    firstText.text = firstText.text.replace(TASK_PREFIX, '');
    if (!firstText.text) content[0]?.content?.shift();
    if (content[0]?.content?.length === 0) delete content[0].content;
  }
}

function taskState(item: Element): boolean | null {
  const checkbox = item.children.find(
    (child): child is Element =>
      isElement(child) && child.name === 'input' && child.attribs.type === 'checkbox',
  );
  if (checkbox) return 'checked' in checkbox.attribs;
  const match = TASK_PREFIX.exec(textOf(item));
  return match ? match[1] !== ' ' : null;
}

function list(element: Element): NodeJson[] {
  const items = element.children.filter((child): child is Element => isElement(child) && child.name === 'li');
  if (items.length === 0) return blocks(element.children);
  const tasks = element.name === 'ul' ? items.map(taskState) : [];
  if (tasks.length && tasks.every((state) => state !== null)) {
    return [
      {
        type: 'taskList',
        content: items.map((item, i) => ({
          type: 'taskItem',
          attrs: { checked: tasks[i] === true },
          content: listItemContent(item.children, true),
        })),
      },
    ];
  }
  const content = items.map((item) => ({ type: 'listItem', content: listItemContent(item.children, false) }));
  if (element.name === 'ol') {
    const start = Number.parseInt(element.attribs.start ?? '1', 10);
    return [
      { type: 'orderedList', attrs: { start: Number.isFinite(start) && start >= 0 ? start : 1 }, content },
    ];
  }
  return [{ type: 'bulletList', content }];
}

function rowsOf(element: Element): Element[] {
  const rows: Element[] = [];
  for (const child of element.children) {
    if (!isElement(child)) continue;
    if (child.name === 'tr') rows.push(child);
    else if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot')
      rows.push(...rowsOf(child));
  }
  return rows;
}

function table(element: Element): NodeJson[] {
  const rows = rowsOf(element).map((row) =>
    row.children
      .filter((cell): cell is Element => isElement(cell) && (cell.name === 'td' || cell.name === 'th'))
      .map((cell) => ({
        type: cell.name === 'th' ? 'tableHeader' : 'tableCell',
        content: atLeastOneParagraph(blocks(cell.children).filter((b) => b.type !== 'table')),
      })),
  );
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (width === 0) return [];
  // Every row gets the same number of cells, so the table is rectangular.
  return [
    {
      type: 'table',
      content: rows
        .filter((row) => row.length > 0)
        .map((row) => ({
          type: 'tableRow',
          content: [
            ...row,
            ...Array.from({ length: width - row.length }, () => ({
              type: 'tableCell',
              content: [{ type: 'paragraph' }],
            })),
          ],
        })),
    },
  ];
}

function block(element: Element): NodeJson[] {
  if (DROPPED.has(element.name)) return [];
  switch (element.name) {
    case 'p':
    case 'dt':
    case 'dd':
    case 'figcaption':
    case 'caption':
      // A paragraph can hold only inline content; blocks inside one (invalid HTML) come after it.
      return [
        textblock(
          'paragraph',
          element.children.filter((child) => !isBlockElement(child)),
        ),
        ...blocks(element.children.filter(isBlockElement)),
      ];
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6':
      return [textblock('heading', element.children, { level: Number(element.name.slice(1)) })];
    case 'blockquote':
      return [{ type: 'blockquote', content: atLeastOneParagraph(blocks(element.children)) }];
    case 'pre': {
      const code = element.children.find((c): c is Element => isElement(c) && c.name === 'code');
      const language = /(?:^|\s)language-([\w+-]+)/.exec(code?.attribs.class ?? '')?.[1] ?? null;
      const text = textOf(element).replace(/\n$/, '');
      return [
        { type: 'codeBlock', attrs: { language }, ...(text ? { content: [{ type: 'text', text }] } : {}) },
      ];
    }
    case 'hr':
      return [{ type: 'horizontalRule' }];
    case 'ul':
    case 'ol':
      return list(element);
    case 'table':
      return table(element);
    default:
      // Containers (div, section, li outside a list, a stray cell…): their content, as blocks.
      return blocks(element.children);
  }
}

/** Document content from an HTML string (a fragment or a whole page). */
export function htmlToContent(html: string): DocJson {
  const dom = parseDocument(html, {
    lowerCaseTags: true,
    lowerCaseAttributeNames: true,
    decodeEntities: true,
  });
  return { type: 'doc', content: atLeastOneParagraph(blocks(dom.children)) };
}
