/**
 * A Word document (DOCX) from a document's content, with the `docx` package: headings, lists (each ordered
 * list numbered from its own start), task items with a box, tables, quotes, code, links and the marks.
 */
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { SAFE_LINK } from '../../editor/schema';

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

const ORDERED = 'ordered-list';
const MONO = 'Courier New';

interface Context {
  /** Nesting depth of lists (0 outside any). */
  level: number;
  /** How the next paragraph of the current list item starts, or null after its first paragraph. */
  marker:
    null | { kind: 'bullet' } | { kind: 'ordered'; instance: number } | { kind: 'task'; checked: boolean };
  quote: boolean;
  nextInstance: { value: number };
}

function runs(node: ProseMirrorNode, extra: { font?: string } = {}): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  node.forEach((child) => {
    if (child.type.name === 'hardBreak') {
      out.push(new TextRun({ text: '', break: 1 }));
      return;
    }
    if (!child.isText) return;
    const has = (name: string) => child.marks.some((mark) => mark.type.name === name);
    const link = child.marks.find((mark) => mark.type.name === 'link');
    const run = new TextRun({
      text: child.text ?? '',
      bold: has('bold'),
      italics: has('italic'),
      strike: has('strike'),
      font: has('code') ? MONO : extra.font,
      ...(link ? { style: 'Hyperlink' } : {}),
    });
    const href = link ? String(link.attrs.href ?? '') : '';
    out.push(link && SAFE_LINK.test(href) ? new ExternalHyperlink({ link: href, children: [run] }) : run);
  });
  return out;
}

function paragraphOptions(context: Context) {
  const marker = context.marker;
  context.marker = null;
  const indent = context.quote ? { left: 720 } : undefined;
  if (marker?.kind === 'bullet') return { bullet: { level: Math.max(0, context.level - 1) }, indent };
  if (marker?.kind === 'ordered') {
    return {
      numbering: { reference: ORDERED, level: Math.max(0, context.level - 1), instance: marker.instance },
      indent,
    };
  }
  if (context.level > 0) return { indent: { left: 720 * context.level } };
  return { indent };
}

function blocks(node: ProseMirrorNode, context: Context): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  node.forEach((child) => out.push(...block(child, context)));
  return out;
}

function block(node: ProseMirrorNode, context: Context): (Paragraph | Table)[] {
  switch (node.type.name) {
    case 'paragraph': {
      const marker = context.marker;
      const prefix = marker?.kind === 'task' ? [new TextRun({ text: marker.checked ? '☑ ' : '☐ ' })] : [];
      return [new Paragraph({ ...paragraphOptions(context), children: [...prefix, ...runs(node)] })];
    }
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.attrs.level) || 1));
      return [new Paragraph({ heading: HEADINGS[level - 1], children: runs(node) })];
    }
    case 'codeBlock':
      return node.textContent.split('\n').map(
        (line) =>
          new Paragraph({
            ...paragraphOptions(context),
            children: [new TextRun({ text: line, font: MONO })],
          }),
      );
    case 'horizontalRule':
      return [new Paragraph({ thematicBreak: true, children: [] })];
    case 'blockquote':
      return blocks(node, { ...context, quote: true });
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const instance = context.nextInstance.value++;
      const out: (Paragraph | Table)[] = [];
      node.forEach((item) => {
        const inner: Context = {
          ...context,
          level: context.level + 1,
          marker:
            node.type.name === 'bulletList'
              ? { kind: 'bullet' }
              : node.type.name === 'orderedList'
                ? { kind: 'ordered', instance }
                : { kind: 'task', checked: item.attrs.checked === true },
        };
        out.push(...blocks(item, inner));
      });
      return out;
    }
    case 'table': {
      const rows: TableRow[] = [];
      node.forEach((row) => {
        const cells: TableCell[] = [];
        row.forEach((cell) => {
          const content = blocks(cell, { ...context, level: 0, marker: null, quote: false });
          cells.push(
            new TableCell({
              children: content.length > 0 ? content : [new Paragraph({ children: [] })],
            }),
          );
        });
        rows.push(
          new TableRow({ children: cells, tableHeader: row.firstChild?.type.name === 'tableHeader' }),
        );
      });
      return [new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } })];
    }
    default:
      return blocks(node, context);
  }
}

/** The DOCX file's bytes, with the title as the document's title and first heading. */
export async function toDocx(content: ProseMirrorNode, title: string): Promise<Uint8Array<ArrayBuffer>> {
  const context: Context = { level: 0, marker: null, quote: false, nextInstance: { value: 1 } };
  const body = blocks(content, context);
  const document = new Document({
    title,
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      { children: [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }), ...body] },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
