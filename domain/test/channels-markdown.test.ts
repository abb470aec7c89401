/** The safe Markdown subset: what it renders, and that no input ever comes out as foreign markup. */
import { describe, expect, it } from 'vitest';
import {
  CLIENT_EVENT_SCHEMAS,
  extractMentions,
  renderMessageMarkdown as render,
  searchTermsOf,
} from '../src/index.js';

/** Every tag the renderer may produce, with every attribute it may carry. */
const ALLOWED = /^<\/?(p|br|strong|em|del|code|pre|blockquote|ul|ol|li|a|span)(\s[^<>]*)?>$/;

function tagsOf(html: string): string[] {
  return html.match(/<[^>]*>/g) ?? [];
}

function expectOnlyAllowedMarkup(html: string): void {
  for (const tag of tagsOf(html)) {
    expect(tag).toMatch(ALLOWED);
    expect(tag).not.toMatch(/\son\w+=/i);
    expect(tag).not.toMatch(/javascript:|data:|vbscript:/i);
    if (tag.startsWith('<a '))
      expect(tag).toMatch(
        /^<a href="(https?|mailto):[^"]*" rel="noopener noreferrer nofollow ugc" target="_blank">$/,
      );
    if (tag.startsWith('<span'))
      expect(tag).toMatch(
        /^<span class="mention" data-mention-kind="(person|organisation)" data-mention-id="[0-9a-f]{24}">$/,
      );
  }
}

describe('renderMessageMarkdown', () => {
  it('renders the subset', () => {
    expect(render('**bold** *it* _it_ ~~gone~~ `a<b`')).toBe(
      '<p><strong>bold</strong> <em>it</em> <em>it</em> <del>gone</del> <code>a&lt;b</code></p>',
    );
    expect(render('one\ntwo\n\nthree')).toBe('<p>one<br>two</p><p>three</p>');
    expect(render('- a\n- b\n1. c')).toBe('<ul><li>a</li><li>b</li></ul><ol><li>c</li></ol>');
    expect(render('> quoted\n> more')).toBe('<blockquote><p>quoted<br>more</p></blockquote>');
    expect(render('```\n<b>x</b>\n**y**\n```')).toBe('<pre><code>&lt;b&gt;x&lt;/b&gt;\n**y**</code></pre>');
    expect(render('[COPE](https://childrenofprisoners.eu/a?b=1&c=2)')).toBe(
      '<p><a href="https://childrenofprisoners.eu/a?b=1&amp;c=2" rel="noopener noreferrer nofollow ugc" target="_blank">COPE</a></p>',
    );
    expect(render('see https://example.org/x.')).toBe(
      '<p>see <a href="https://example.org/x" rel="noopener noreferrer nofollow ugc" target="_blank">https://example.org/x</a>.</p>',
    );
    expect(render('snake_case_name and 2*3*4')).toBe('<p>snake_case_name and 2<em>3</em>4</p>');
    expect(render('\\*not italic\\*')).toBe('<p>*not italic*</p>');
    expect(render('# not a heading')).toBe('<p># not a heading</p>');
  });

  it('renders mentions with the current name when known, the written label otherwise', () => {
    const id = 'a'.repeat(24);
    const body = `hi @[Ana](person:${id}) and @[COPE](organisation:${'b'.repeat(24)})`;
    expect(render(body)).toBe(
      `<p>hi <span class="mention" data-mention-kind="person" data-mention-id="${id}">@Ana</span> and ` +
        `<span class="mention" data-mention-kind="organisation" data-mention-id="${'b'.repeat(24)}">@COPE</span></p>`,
    );
    expect(render(body, { mentionNames: new Map([[`person:${id}`, '<Ana María>']]) })).toContain(
      '@&lt;Ana María&gt;</span>',
    );
    expect(extractMentions(`${body} again @[Ana](person:${id})`)).toEqual([
      { kind: 'person', id, label: 'Ana' },
      { kind: 'organisation', id: 'b'.repeat(24), label: 'COPE' },
    ]);
  });

  const XSS = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](java\tscript:alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](vbscript:msgbox(1))',
    '[x](https://example.org/"onmouseover="alert(1))',
    '[x](https://example.org/a"><script>alert(1)</script>)',
    'https://example.org/"><svg/onload=alert(1)>',
    '**<iframe src="https://evil.example">**',
    '`</code><script>alert(1)</script>`',
    '```\n</code></pre><script>alert(1)</script>\n```',
    '> <style>body{display:none}</style>',
    '- <form action="https://evil.example"><input name=p></form>',
    '@[<img src=x onerror=alert(1)>](person:' + 'c'.repeat(24) + ')',
    '[<svg onload=alert(1)>](https://example.org)',
    '&lt;script&gt;alert(1)&lt;/script&gt;',
    '<<script>script>alert(1)<</script>/script>',
    '[a](https://example.org)[b](javascript:alert(1))',
    '<!-- comment --><![CDATA[x]]>',
    '*'.repeat(5000) + '<b>' + '_'.repeat(5000),
  ];

  it.each(XSS)('never lets markup through: %s', (input) => {
    const html = render(input);
    expectOnlyAllowedMarkup(html);
    expect(html).not.toMatch(/<(script|img|iframe|svg|style|form|input)/i);
  });

  it('keeps unsafe links as visible text', () => {
    expect(render('[click](javascript:alert(1))')).toBe('<p>[click](javascript:alert(1))</p>');
    expect(render('<b>hi</b>')).toBe('<p>&lt;b&gt;hi&lt;/b&gt;</p>');
  });

  it('renders a 10,000-character message quickly', () => {
    const body = '**bold** _it_ `code` [l](https://e.org) '.repeat(250).slice(0, 10_000);
    const start = performance.now();
    expectOnlyAllowedMarkup(render(body));
    // Linear work takes milliseconds; a regular expression that backtracks catastrophically takes minutes.
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('channel contract schemas', () => {
  const channelId = 'd'.repeat(24);
  it('accepts a message up to 10,000 characters and refuses longer, empty or unknown fields safely', () => {
    const send = CLIENT_EVENT_SCHEMAS['message:send'];
    expect(send.safeParse({ channelId, clientId: 'abcdefgh12', body: 'x'.repeat(10_000) }).success).toBe(
      true,
    );
    expect(send.safeParse({ channelId, clientId: 'abcdefgh12', body: 'x'.repeat(10_001) }).success).toBe(
      false,
    );
    expect(send.safeParse({ channelId, clientId: 'abcdefgh12', body: '  \n ' }).success).toBe(false);
    expect(send.safeParse({ channelId: 'nope', clientId: 'abcdefgh12', body: 'x' }).success).toBe(false);
    expect(send.safeParse({ channelId, clientId: 'a b', body: 'x' }).success).toBe(false);
    expect(send.safeParse(null).success).toBe(false);
  });

  it('takes one emoji as a reaction, not text', () => {
    const add = CLIENT_EVENT_SCHEMAS['reaction:add'];
    for (const emoji of ['👍', '❤️', '👍🏽', '🇫🇷', '👩‍👩‍👧']) {
      expect(add.safeParse({ messageId: channelId, emoji }).success, emoji).toBe(true);
    }
    for (const emoji of ['ok', '<b>', '', '1', '👍 yes']) {
      expect(add.safeParse({ messageId: channelId, emoji }).success, emoji).toBe(false);
    }
  });

  it('derives search terms without accents, case, mention ids or link targets', () => {
    expect(
      searchTermsOf(`Réunion à Zagreb: @[Ana](person:${channelId}) [plan](https://x.org/secret) Réunion 2`),
    ).toEqual(['reunion', 'zagreb', 'ana', 'plan', '2']);
  });
});
