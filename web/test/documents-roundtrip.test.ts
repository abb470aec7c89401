import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOCUMENT_FIELD, documentSchema } from '../src/lib/editor/schema';
import { toDocx } from '../src/lib/server/documents/docx-export';
import { docxToContent } from '../src/lib/server/documents/docx-import';
import { toHtml } from '../src/lib/server/documents/html-export';
import { htmlToContent } from '../src/lib/server/documents/html-import';
import { markdownToContent } from '../src/lib/server/documents/markdown-import';
import { toMarkdown } from '../src/lib/server/documents/markdown-export';
import { contentOfState, stateOfContent } from '../src/lib/server/documents/yjs-content';

const SAMPLE = `# Research protocol

Children of *imprisoned* parents: a **comparative** study with ~~old~~ \`code\` and a [link](https://example.org/a).

## Research questions

- first question
- second question
  - nested point

1. Plan
2. Collect

- [ ] ask the ethics board
- [x] find partners

> Keep families' data private.

\`\`\`ts
const x = 1 < 2;
\`\`\`

| Country | Partner |
| --- | --- |
| France | Relais Enfants Parents |
| Ireland | IPRT |

---

Line one  
line two
`;

/** Markdown -> content -> Yjs state -> content, as an export reads a document. */
function throughYjs(markdown: string) {
  return contentOfState(stateOfContent(markdownToContent(markdown)));
}

describe('Markdown import and export', () => {
  it('round-trips every node and mark the editor has through Yjs', () => {
    const content = throughYjs(SAMPLE);
    const names = new Set<string>();
    content.descendants((node) => {
      names.add(node.type.name);
      for (const mark of node.marks) names.add(mark.type.name);
    });
    for (const name of [
      'heading',
      'paragraph',
      'bulletList',
      'orderedList',
      'listItem',
      'taskList',
      'taskItem',
      'blockquote',
      'codeBlock',
      'table',
      'tableRow',
      'tableHeader',
      'tableCell',
      'horizontalRule',
      'hardBreak',
      'bold',
      'italic',
      'strike',
      'code',
      'link',
    ]) {
      expect(names, name).toContain(name);
    }
    const markdown = toMarkdown(content);
    // A second trip gives the very same Markdown: nothing is lost or altered along the way.
    expect(toMarkdown(throughYjs(markdown))).toBe(markdown);
    expect(markdown).toContain('# Research protocol');
    expect(markdown).toContain('- [ ] ask the ethics board');
    expect(markdown).toContain('- [x] find partners');
    expect(markdown).toContain('| France | Relais Enfants Parents |');
    expect(markdown).toContain('[link](https://example.org/a)');
    expect(markdown).toContain('```ts\nconst x = 1 < 2;\n```');
  });

  it('keeps Markdown characters typed as text literal', () => {
    const schema = documentSchema();
    const doc = schema.node('doc', null, [
      schema.node('paragraph', null, [schema.text('2 * 3 # not a [heading](x)')]),
    ]);
    const markdown = toMarkdown(doc);
    expect(toMarkdown(throughYjs(markdown))).toBe(markdown);
    expect(throughYjs(markdown).textContent).toBe('2 * 3 # not a [heading](x)');
  });

  it('imports raw HTML in Markdown as text, never as markup', () => {
    const content = throughYjs('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>');
    expect(content.textContent).toContain('<script>alert(1)</script>');
    const html = toHtml(content, 'T', 'en');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Nor does it become HTML in the exported Markdown, wherever that is rendered.
    const markdown = toMarkdown(content);
    expect(markdown).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(toMarkdown(throughYjs(markdown))).toBe(markdown);
  });

  it('drops links to unsafe schemes', () => {
    const content = throughYjs('[click](javascript:alert(1)) and [mail](mailto:a@example.org)');
    const hrefs: string[] = [];
    content.descendants((node) => {
      for (const mark of node.marks) if (mark.type.name === 'link') hrefs.push(String(mark.attrs.href));
    });
    expect(hrefs).toEqual(['mailto:a@example.org']);
  });
});

describe('HTML export', () => {
  it('escapes text, title and attributes', () => {
    const schema = documentSchema();
    const link = schema.marks.link?.create({ href: 'https://example.org/?a="b"&c=<d>' });
    const doc = schema.node('doc', null, [
      schema.node('paragraph', null, [schema.text('<b>not bold</b> & co', link ? [link] : [])]),
    ]);
    const html = toHtml(doc, 'A <title> & "quotes"', 'fr');
    expect(html).toContain('<title>A &lt;title&gt; &amp; &quot;quotes&quot;</title>');
    expect(html).toContain('href="https://example.org/?a=&quot;b&quot;&amp;c=&lt;d&gt;"');
    expect(html).toContain('&lt;b&gt;not bold&lt;/b&gt; &amp; co');
    expect(html).toContain('<html lang="fr">');
  });

  it('reads back through the import allow-list to the same content', () => {
    const content = throughYjs(SAMPLE);
    const html = toHtml(content, 'Research protocol', 'en');
    // The page's own title heading comes first; the rest is the document.
    const back = documentSchema().nodeFromJSON(htmlToContent(html));
    expect(toMarkdown(back)).toBe(`# Research protocol\n\n${toMarkdown(content)}`);
  });
});

describe('HTML import allow-list', () => {
  it('drops scripts, styles and event attributes, keeps the text of unknown elements', () => {
    const json = htmlToContent(
      '<div onclick="x()"><script>evil()</script><style>p{}</style><p>Kept <span style="color:red">text</span></p><iframe src="https://x"></iframe><u>under</u></div>',
    );
    const doc = documentSchema().nodeFromJSON(json);
    doc.check();
    expect(doc.textContent).toBe('Kept textunder');
    expect(JSON.stringify(json)).not.toMatch(/onclick|style|iframe|evil/);
  });

  it('gives an empty document one empty paragraph', () => {
    const doc = documentSchema().nodeFromJSON(htmlToContent(''));
    doc.check();
    expect(doc.childCount).toBe(1);
    expect(doc.firstChild?.type.name).toBe('paragraph');
  });

  it('makes ragged tables rectangular', () => {
    const doc = documentSchema().nodeFromJSON(
      htmlToContent('<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>'),
    );
    doc.check();
    const table = doc.firstChild;
    expect(table?.type.name).toBe('table');
    expect(table?.child(1).childCount).toBe(2);
  });
});

describe('DOCX export and import', () => {
  it('exports a Word document that reads back with its headings, lists, tables and text', async () => {
    const content = throughYjs(SAMPLE);
    const bytes = await toDocx(content, 'Research protocol');
    expect(Array.from(bytes.slice(0, 4))).toEqual([0x50, 0x4b, 0x03, 0x04]);
    const { value: html } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
    expect(html).toContain('<h1>Research protocol</h1>');
    expect(html).toContain('<h2>Research questions</h2>');
    expect(html).toContain('<table>');
    expect(html).toContain('<strong>comparative</strong>');
    expect(html).toContain('<a href="https://example.org/a">link</a>');

    const back = documentSchema().nodeFromJSON(await docxToContent(bytes));
    back.check();
    const markdown = toMarkdown(back);
    // The title (Word's Title style) comes back as the first heading.
    expect(markdown.startsWith('# Research protocol\n\n# Research protocol\n')).toBe(true);
    expect(markdown).toContain('## Research questions');
    expect(markdown).toContain('- first question');
    expect(markdown).toContain('1. Plan');
    expect(markdown).toContain('| France | Relais Enfants Parents |');
    expect(markdown).toContain('☐ ask the ethics board');
  });
});

describe('Yjs state', () => {
  it('is written to the default fragment and reads back the same', () => {
    const json = markdownToContent('# Title\n\nSome text');
    const state = stateOfContent(json);
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    expect(ydoc.getXmlFragment(DOCUMENT_FIELD).length).toBe(2);
    expect(contentOfState(state).toJSON()).toEqual(documentSchema().nodeFromJSON(json).toJSON());
  });

  it('reads an empty state as an empty document', () => {
    const ydoc = new Y.Doc();
    const content = contentOfState(Y.encodeStateAsUpdate(ydoc));
    expect(content.textContent).toBe('');
  });

  it('refuses content the schema does not allow', () => {
    expect(() => stateOfContent({ type: 'doc', content: [{ type: 'image' }] })).toThrow();
  });
});
