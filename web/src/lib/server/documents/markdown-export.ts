/**
 * Markdown (CommonMark with GitHub's tables and task lists) from a document's content. Text is escaped by
 * prosemirror-markdown's serializer state, so a `*` or `#` typed in the editor stays literal.
 */
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import {
  MarkdownSerializer,
  defaultMarkdownSerializer,
  type MarkdownSerializerState,
} from 'prosemirror-markdown';
import { SAFE_LINK } from '../../editor/schema';

type NodeSerializer = (
  state: MarkdownSerializerState,
  node: ProseMirrorNode,
  parent: ProseMirrorNode,
  index: number,
) => void;

const base = defaultMarkdownSerializer.nodes;

function required(fn: NodeSerializer | undefined): NodeSerializer {
  if (!fn) throw new Error('prosemirror-markdown lacks a default serializer');
  return fn;
}

/** A cell's content on one line: its blocks serialized, newlines turned into spaces, pipes escaped. */
function cellText(cell: ProseMirrorNode): string {
  const text = serializer.serialize(cell, { tightLists: true });
  return text
    .replace(/\s*\n+\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

function table(state: MarkdownSerializerState, node: ProseMirrorNode): void {
  const rows: string[][] = [];
  node.forEach((row) => {
    const cells: string[] = [];
    row.forEach((cell) => cells.push(cellText(cell)));
    rows.push(cells);
  });
  const width = Math.max(1, ...rows.map((row) => row.length));
  const line = (cells: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  // GFM tables always have a header row: the first row is it.
  const [head = [], ...body] = rows;
  const out = [
    line(head),
    `| ${Array.from({ length: width }, () => '---').join(' | ')} |`,
    ...body.map(line),
  ];
  state.write(out.join('\n'));
  state.closeBlock(node);
}

const serializer: MarkdownSerializer = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: required(base.paragraph),
    text: required(base.text),
    hardBreak: required(base.hard_break),
    blockquote: required(base.blockquote),
    horizontalRule: required(base.horizontal_rule),
    listItem: required(base.list_item),
    heading(state, node) {
      state.write(`${'#'.repeat(Number(node.attrs.level) || 1)} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    codeBlock(state, node) {
      const fence = node.textContent.includes('```') ? '~~~~' : '```';
      const language = typeof node.attrs.language === 'string' ? node.attrs.language : '';
      state.write(`${fence}${language.replace(/[^\w+-]/g, '')}\n`);
      state.text(node.textContent, false);
      state.ensureNewLine();
      state.write(fence);
      state.closeBlock(node);
    },
    bulletList(state, node) {
      state.renderList(node, '  ', () => '- ');
    },
    orderedList(state, node) {
      const start = Number(node.attrs.start) || 1;
      const width = String(start + node.childCount - 1).length;
      const space = ' '.repeat(width + 2);
      state.renderList(node, space, (i) => {
        const n = String(start + i);
        return `${' '.repeat(width - n.length)}${n}. `;
      });
    },
    taskList(state, node) {
      state.renderList(node, '  ', (i) => `- [${node.child(i).attrs.checked ? 'x' : ' '}] `);
    },
    taskItem: required(base.list_item),
    table,
    tableRow: () => undefined,
    tableHeader: () => undefined,
    tableCell: (state, node) => state.renderContent(node),
  },
  {
    bold: defaultMarkdownSerializer.marks.strong ?? { open: '**', close: '**' },
    italic: defaultMarkdownSerializer.marks.em ?? { open: '*', close: '*' },
    strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
    code: defaultMarkdownSerializer.marks.code ?? { open: '`', close: '`' },
    link: {
      open: '[',
      close(_state, mark) {
        const href = String(mark.attrs.href ?? '');
        const safe = SAFE_LINK.test(href) ? href : '';
        return `](${safe.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`;
      },
    },
  },
  {
    // `<` and `>` typed as text must not become HTML wherever the file is rendered.
    escapeExtraCharacters: /[<>]/g,
    hardBreakNodeName: 'hardBreak',
  },
);

export function toMarkdown(content: ProseMirrorNode): string {
  const text = serializer.serialize(content, { tightLists: true });
  return text.endsWith('\n') ? text : `${text}\n`;
}
