/**
 * The starting content of a new document, built on the server with plain `yjs` as the editor will read it:
 * the rich text is the Y.Doc's XmlFragment `default` (Tiptap Collaboration's field), and node names and
 * attributes are Tiptap's defaults (see the document-content contract). Headings come in the creator's
 * language.
 */
import type { DocumentTemplate, Locale } from '@cope/domain';
import * as Y from 'yjs';

/** A node of the template, written as data so each template reads as its outline. */
type Block =
  | { h: string }
  | { p?: string }
  | { bullets: string[] }
  | { numbers: string[] }
  | { tasks: string[] }
  | { table: { header: string[]; rows: number } };

type Catalog = Record<Exclude<DocumentTemplate, 'blank'>, Block[]>;

const EN: Catalog = {
  'research-protocol': [
    { h: 'Background' },
    { p: 'Why this study, and what is already known.' },
    { h: 'Research questions' },
    { numbers: [''] },
    { h: 'Methods' },
    { p: '' },
    { h: 'Ethics and consent' },
    { p: 'How children and families are informed, how consent is obtained and how data are protected.' },
    { h: 'Countries and partners' },
    { table: { header: ['Country', 'Partner', 'Role in the study'], rows: 2 } },
    { h: 'Timeline' },
    { table: { header: ['Phase', 'Start', 'End'], rows: 3 } },
  ],
  'project-plan': [
    { h: 'Objectives' },
    { bullets: [''] },
    { h: 'Partners' },
    { table: { header: ['Partner', 'Country', 'Contribution'], rows: 2 } },
    { h: 'Work packages' },
    { numbers: [''] },
    { h: 'Milestones' },
    { table: { header: ['Milestone', 'Date', 'Responsible'], rows: 3 } },
    { h: 'Risks' },
    { table: { header: ['Risk', 'Likelihood', 'Mitigation'], rows: 2 } },
  ],
  'meeting-notes': [
    { h: 'Participants' },
    { bullets: [''] },
    { h: 'Agenda' },
    { numbers: [''] },
    { h: 'Notes' },
    { p: '' },
    { h: 'Decisions' },
    { bullets: [''] },
    { h: 'Action items' },
    { tasks: [''] },
  ],
};

const FR: Catalog = {
  'research-protocol': [
    { h: 'Contexte' },
    { p: 'Pourquoi cette étude, et ce que l’on sait déjà.' },
    { h: 'Questions de recherche' },
    { numbers: [''] },
    { h: 'Méthodes' },
    { p: '' },
    { h: 'Éthique et consentement' },
    {
      p: 'Comment les enfants et les familles sont informés, comment le consentement est recueilli et comment les données sont protégées.',
    },
    { h: 'Pays et partenaires' },
    { table: { header: ['Pays', 'Partenaire', 'Rôle dans l’étude'], rows: 2 } },
    { h: 'Calendrier' },
    { table: { header: ['Phase', 'Début', 'Fin'], rows: 3 } },
  ],
  'project-plan': [
    { h: 'Objectifs' },
    { bullets: [''] },
    { h: 'Partenaires' },
    { table: { header: ['Partenaire', 'Pays', 'Contribution'], rows: 2 } },
    { h: 'Lots de travail' },
    { numbers: [''] },
    { h: 'Jalons' },
    { table: { header: ['Jalon', 'Date', 'Responsable'], rows: 3 } },
    { h: 'Risques' },
    { table: { header: ['Risque', 'Probabilité', 'Mesures'], rows: 2 } },
  ],
  'meeting-notes': [
    { h: 'Participants' },
    { bullets: [''] },
    { h: 'Ordre du jour' },
    { numbers: [''] },
    { h: 'Notes' },
    { p: '' },
    { h: 'Décisions' },
    { bullets: [''] },
    { h: 'Actions' },
    { tasks: [''] },
  ],
};

const CATALOGS: Record<Locale, Catalog> = { en: EN, fr: FR };

/** The headings of a template in a language (what tests and previews check). */
export function templateHeadings(template: DocumentTemplate, locale: Locale): string[] {
  if (template === 'blank') return [];
  return CATALOGS[locale][template].flatMap((b) => ('h' in b ? [b.h] : []));
}

function element(
  name: string,
  children: (Y.XmlElement | Y.XmlText)[] = [],
  attrs: Record<string, unknown> = {},
) {
  const el = new Y.XmlElement(name);
  // y-prosemirror stores node attributes as they are (numbers, booleans), not as strings.
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value as string);
  if (children.length > 0) el.insert(0, children);
  return el;
}

function paragraph(text = ''): Y.XmlElement {
  if (text === '') return element('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text);
  return element('paragraph', [t]);
}

function list(name: 'bulletList' | 'orderedList', items: string[]): Y.XmlElement {
  return element(
    name,
    items.map((item) => element('listItem', [paragraph(item)])),
  );
}

function table(header: string[], rows: number): Y.XmlElement {
  const headerRow = element(
    'tableRow',
    header.map((label) => element('tableHeader', [paragraph(label)])),
  );
  const bodyRows = Array.from({ length: rows }, () =>
    element(
      'tableRow',
      header.map(() => element('tableCell', [paragraph()])),
    ),
  );
  return element('table', [headerRow, ...bodyRows]);
}

function build(block: Block): Y.XmlElement {
  if ('h' in block) {
    const t = new Y.XmlText();
    t.insert(0, block.h);
    return element('heading', [t], { level: 2 });
  }
  if ('bullets' in block) return list('bulletList', block.bullets);
  if ('numbers' in block) return list('orderedList', block.numbers);
  if ('tasks' in block) {
    return element(
      'taskList',
      block.tasks.map((item) => element('taskItem', [paragraph(item)], { checked: false })),
    );
  }
  if ('table' in block) return table(block.table.header, block.table.rows);
  return paragraph(block.p);
}

/** The template's content as one Yjs update (of an empty document for `blank`). */
export function templateUpdate(template: DocumentTemplate, locale: Locale): Uint8Array {
  const doc = new Y.Doc();
  try {
    const fragment = doc.getXmlFragment('default');
    if (template !== 'blank') fragment.insert(0, CATALOGS[locale][template].map(build));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
