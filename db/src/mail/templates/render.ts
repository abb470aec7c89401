/**
 * Renders a validated message in its recipient's language.
 *
 * `redactTokens` renders the copy kept in the outbox after a real SMTP delivery: staff can read what went
 * out, but the single-use links (invitations, password resets) stay only in the recipient's mailbox.
 * Without SMTP the outbox is the mailbox, so it keeps the full links.
 */
import type { ValidMailMessage } from '../message';
import { catalogs } from './catalog';
import type { MailContent, RenderContext, Templates } from './content';
import { formatDateTime } from './format';
import { layout, type RenderedMail } from './layout';
import { buildLink, REDACTED_TOKEN } from './links';
import type { TemplateName, TemplateParams } from './params';

export interface RenderOptions {
  redactTokens?: boolean;
}

export function renderMail(message: ValidMailMessage, options: RenderOptions = {}): RenderedMail {
  const catalog = catalogs[message.language];
  const timeZone = message.timeZone ?? 'UTC';
  const ctx: RenderContext = {
    locale: message.language,
    origin: message.origin,
    timeZone,
    link: (kind, token) =>
      options.redactTokens === true
        ? `${buildLink(message.origin, kind, '')}${REDACTED_TOKEN}`
        : buildLink(message.origin, kind, token),
    dateTime: (value) => formatDateTime(message.language, value, timeZone),
  };
  const content = fill(catalog.templates, message.template, message.params, ctx);
  return layout(content, message.language, { colon: catalog.colon, footer: catalog.footer(ctx) });
}

/** Generic over the template name, so that each template gets its own parameter type. */
function fill<K extends TemplateName>(
  templates: Templates,
  name: K,
  params: TemplateParams[K],
  ctx: RenderContext,
): MailContent {
  return templates[name](params, ctx);
}
