/**
 * Rendering, without any network: every template in both languages, escaping, dates in each locale, links
 * from the caller's origin, redaction of single-use links, and the input checks at the boundary.
 */
import { describe, expect, it } from 'vitest';
import {
  MailInputError,
  parseMailMessage,
  renderMail,
  TEMPLATE_NAMES,
  type MailMessage,
} from '../../src/mail/index';
import { ORIGIN, TOKEN } from './fixtures';

const EXPIRES = new Date('2026-12-01T17:30:00Z');

/** One valid message per template, in `language`. */
function sampleMessages(language: 'en' | 'fr'): MailMessage[] {
  const common = { to: 'ana@example.org', language, origin: ORIGIN };
  const applicant = { organisationName: 'Bryggen Families', contactName: 'Ana Horvat' };
  return [
    {
      ...common,
      template: 'invitation',
      params: {
        inviterName: 'Liz Ayre',
        organisationName: 'Relais Enfants Parents',
        token: TOKEN,
        expiresAt: EXPIRES,
      },
    },
    {
      ...common,
      template: 'password-reset',
      params: { name: 'Ana Horvat', token: TOKEN, expiresAt: EXPIRES },
    },
    { ...common, template: 'application-received', params: applicant },
    { ...common, template: 'application-approved', params: { ...applicant, category: 'applicant' } },
    { ...common, template: 'application-rejected', params: { ...applicant, reason: 'Outside Europe.' } },
    {
      ...common,
      template: 'application-more-info',
      params: { ...applicant, request: 'The 2025 annual report.' },
    },
    { ...common, template: 'affiliate-confirm-email', params: { token: TOKEN, expiresAt: EXPIRES } },
    { ...common, template: 'affiliate-account-exists', params: { name: 'Ana Horvat' } },
  ];
}

describe('every template in every language', () => {
  it('has a sample here for each template name', () => {
    expect(sampleMessages('en').map((m) => m.template)).toEqual(TEMPLATE_NAMES);
  });

  for (const language of ['en', 'fr'] as const) {
    for (const message of sampleMessages(language)) {
      it(`${message.template} (${language}): subject, text and an HTML document in ${language}`, () => {
        const mail = renderMail(parseMailMessage(message));
        expect(mail.subject.length).toBeGreaterThan(10);
        expect(mail.subject).not.toMatch(/[\r\n]/);
        expect(mail.text).toContain(language === 'fr' ? 'Bonjour' : 'Hello');
        expect(mail.html).toContain(`<html lang="${language}">`);
        expect(mail.html).toContain('<title>');
        // The footer names the origin in both parts.
        expect(mail.text).toContain(ORIGIN);
        expect(mail.html).toContain(ORIGIN);
      });
    }
  }

  it('writes different texts in English and French', () => {
    const en = sampleMessages('en').map((m) => renderMail(parseMailMessage(m)).subject);
    const fr = sampleMessages('fr').map((m) => renderMail(parseMailMessage(m)).subject);
    for (let i = 0; i < en.length; i++) expect(fr[i]).not.toBe(en[i]);
  });
});

describe('invitation', () => {
  const base = {
    to: 'ana@example.org',
    origin: ORIGIN,
    template: 'invitation' as const,
    params: {
      inviterName: 'Liz Ayre',
      organisationName: 'Relais Enfants Parents',
      token: TOKEN,
      expiresAt: EXPIRES,
    },
  };

  it('in English: who invites, to which organisation, the link, the expiry in British English', () => {
    const mail = renderMail(parseMailMessage({ ...base, language: 'en' }));
    expect(mail.subject).toBe('Invitation to COPE Workspace for Relais Enfants Parents');
    expect(mail.text).toContain('Liz Ayre invites you');
    expect(mail.text).toContain('as a contact person for Relais Enfants Parents');
    expect(mail.text).toContain(`${ORIGIN}/invitations/${TOKEN}`);
    expect(mail.text).toContain('expires on 1 December 2026 at 17:30 (UTC)');
    expect(mail.html).toContain(`<a href="${ORIGIN}/invitations/${TOKEN}"`);
  });

  it('in French: the same facts, the date written the French way', () => {
    const mail = renderMail(parseMailMessage({ ...base, language: 'fr' }));
    expect(mail.subject).toBe('Invitation à COPE Workspace pour Relais Enfants Parents');
    expect(mail.text).toContain('Liz Ayre vous invite');
    expect(mail.text).toContain(`${ORIGIN}/invitations/${TOKEN}`);
    expect(mail.text).toContain('expire le 1 décembre 2026 à 17:30 (UTC)');
  });

  it('as an individual member when no organisation is given', () => {
    const { organisationName: _omit, ...params } = base.params;
    const mail = renderMail(parseMailMessage({ ...base, language: 'en', params }));
    expect(mail.subject).toBe('Invitation to COPE Workspace as an individual member');
    expect(mail.text).toContain('as an individual member of the network');
    expect(mail.text).not.toContain('Relais');
  });

  it("formats the expiry in the recipient's time zone when the caller knows it", () => {
    const mail = renderMail(parseMailMessage({ ...base, language: 'fr', timeZone: 'Europe/Paris' }));
    expect(mail.text).toContain('expire le 1 décembre 2026 à 18:30 (Europe/Paris)');
  });

  it('accepts the expiry as an ISO string, as it arrives in JSON', () => {
    const mail = renderMail(
      parseMailMessage({
        ...base,
        language: 'en',
        params: { ...base.params, expiresAt: '2026-12-01T17:30:00Z' },
      }),
    );
    expect(mail.text).toContain('1 December 2026 at 17:30');
  });

  it('builds the link from the origin alone, whatever trailing slash it was given with', () => {
    const mail = renderMail(parseMailMessage({ ...base, language: 'en', origin: 'http://localhost:3000/' }));
    expect(mail.text).toContain(`http://localhost:3000/invitations/${TOKEN}\n`);
  });

  it('leaves out the token when rendering the copy kept after SMTP delivery', () => {
    const mail = renderMail(parseMailMessage({ ...base, language: 'en' }), { redactTokens: true });
    expect(mail.text).not.toContain(TOKEN);
    expect(mail.html).not.toContain(TOKEN);
    expect(mail.text).toContain(`${ORIGIN}/invitations/[…]`);
  });
});

describe('escaping', () => {
  const hostile = '<script>alert("x")</script> & Co\'s';

  it('escapes every interpolated value in the HTML part and keeps the text part literal', () => {
    const mail = renderMail(
      parseMailMessage({
        to: 'ana@example.org',
        language: 'en',
        origin: ORIGIN,
        template: 'invitation',
        params: {
          inviterName: hostile,
          inviteeName: hostile,
          organisationName: hostile,
          token: TOKEN,
          expiresAt: EXPIRES,
        },
      }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#39;s');
    // In the <title> too, where the subject goes.
    expect(mail.html).toMatch(/<title>Invitation to COPE Workspace for &lt;script&gt;/);
    expect(mail.text).toContain(hostile);
  });

  it('keeps the line breaks of a reason staff typed, escaped, as <br>', () => {
    const mail = renderMail(
      parseMailMessage({
        to: 'ana@example.org',
        language: 'fr',
        origin: ORIGIN,
        template: 'application-rejected',
        params: { organisationName: 'Org', contactName: 'Ana', reason: 'First line\r\n<b>second</b> line' },
      }),
    );
    expect(mail.html).toContain('<p>First line<br>\n&lt;b&gt;second&lt;/b&gt; line</p>');
    expect(mail.text).toContain('First line\n<b>second</b> line');
  });
});

describe('input checks', () => {
  const valid = {
    to: 'ana@example.org',
    language: 'en',
    origin: ORIGIN,
    template: 'password-reset',
    params: { token: TOKEN, expiresAt: EXPIRES },
  } as const;

  function issuesOf(input: unknown): string {
    try {
      parseMailMessage(input);
    } catch (error) {
      expect(error).toBeInstanceOf(MailInputError);
      return (error as MailInputError).message;
    }
    throw new Error('expected a MailInputError');
  }

  it('accepts the valid message and normalises the address', () => {
    expect(parseMailMessage({ ...valid, to: ' Ana@Example.ORG ' }).to).toBe('ana@example.org');
  });

  it.each([
    ['a recipient that is not an address', { ...valid, to: 'not-an-address' }, /^Invalid mail message: to: /],
    ['an unknown language', { ...valid, language: 'de' }, /language/],
    ['an unknown template', { ...valid, template: 'newsletter' }, /template/],
    ['a missing parameter', { ...valid, params: { token: TOKEN } }, /params\.expiresAt/],
    [
      'a token with characters that would break the link',
      { ...valid, params: { ...valid.params, token: 'abc/def?x=1&y=2zz' } },
      /params\.token/,
    ],
    ['an origin with a path', { ...valid, origin: 'https://example.org/app' }, /origin/],
    ['an origin that is not http(s)', { ...valid, origin: 'javascript:alert(1)' }, /origin/],
    ['an unknown time zone', { ...valid, timeZone: 'Mars/Olympus' }, /timeZone/],
    [
      'an invalid date',
      { ...valid, params: { ...valid.params, expiresAt: new Date('nope') } },
      /params\.expiresAt/,
    ],
    [
      'a name with a line break (header injection)',
      { ...valid, params: { ...valid.params, name: 'Ana\r\nBcc: x@y.z' } },
      /params\.name/,
    ],
    ['not an object at all', 'hello', /Invalid mail message/],
  ])('refuses %s with a clear error', (_label, input, expected) => {
    expect(issuesOf(input)).toMatch(expected);
  });
});
