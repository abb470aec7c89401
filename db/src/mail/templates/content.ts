/**
 * The shape every template fills in: structured text, never markup. The layout (`./layout.ts`) turns it into
 * the plain-text and HTML parts, escaping every value on the way, so no template can forget to.
 */
import type { Locale } from '@cope/domain';
import type { LinkKind } from './links';
import type { TemplateName, TemplateParams } from './params';

export interface MailContent {
  subject: string;
  /** First line, e.g. "Hello Ana,". */
  greeting: string;
  /** Paragraphs before the call to action. A paragraph may span several lines (a reason staff typed). */
  intro: string[];
  /** The one link the message is about, with a label that says where it leads. */
  action?: { label: string; url: string };
  /** Paragraphs after the call to action (expiry, "if this was not you…"). */
  outro: string[];
  /** Closing lines, e.g. "The COPE secretariat". */
  signature: string;
}

/** What a template may use besides its parameters. */
export interface RenderContext {
  locale: Locale;
  /** The app's origin, e.g. `https://workspace.copenetwork.org`. */
  origin: string;
  /** IANA time zone for dates, `UTC` unless the caller knows the recipient's. */
  timeZone: string;
  /** Builds a link to a page that takes a single-use token (or its redacted form, see `./render.ts`). */
  link(kind: LinkKind, token: string): string;
  /** A date and time in `locale` and `timeZone`. */
  dateTime(value: Date): string;
}

export type Template<K extends TemplateName> = (params: TemplateParams[K], ctx: RenderContext) => MailContent;

/** One language's templates: every template name must be present, with its exact parameter type. */
export type Templates = { readonly [K in TemplateName]: Template<K> };

/** Everything one language needs to write every mail. */
export interface Catalog {
  readonly templates: Templates;
  /** The last line of every message: who sends it and where the app is. */
  readonly footer: (ctx: RenderContext) => string;
  /** What introduces the link in the plain-text part: ":" in English, "\u00a0:" in French. */
  readonly colon: string;
}
