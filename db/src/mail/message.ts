/**
 * The input of `mailer.send`, validated at the boundary: who receives it, in which language, which template
 * with which parameters, and the origin links are built from. Bad input throws `MailInputError` before
 * anything is rendered, stored or sent.
 */
import { emailSchema, localeSchema } from '@cope/domain';
import { z } from 'zod';
import { isTimeZone } from './templates/format';
import { templateParamSchemas, type TemplateName, type TemplateParamsInput } from './templates/params';

/** The app's public origin, e.g. `https://workspace.copenetwork.org`: http(s), no path, query or credentials. */
export const originSchema = z
  .string()
  .max(2048)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Not a URL' });
      return z.NEVER;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'The origin must be an http or https URL' });
      return z.NEVER;
    }
    if (
      url.username !== '' ||
      url.password !== '' ||
      url.pathname !== '/' ||
      url.search !== '' ||
      url.hash !== ''
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'The origin is scheme, host and port only (no path, query or user)',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const commonFields = {
  /** The recipient's address (one address; trimmed and lower-cased). */
  to: emailSchema,
  /** The recipient's language. */
  language: localeSchema,
  /** The origin of the app, from `ORIGIN`; every link in the mail points there. */
  origin: originSchema,
  /** Where replies go, e.g. the secretariat's mailbox when `MAIL_FROM` is a no-reply address. */
  replyTo: emailSchema.optional(),
  /** IANA time zone for dates in the mail (e.g. `Europe/Paris`); UTC when unknown. */
  timeZone: z.string().max(64).refine(isTimeZone, { message: 'Not an IANA time zone name' }).optional(),
};

function messageVariant<K extends TemplateName>(template: K) {
  return z.object({ ...commonFields, template: z.literal(template), params: templateParamSchemas[template] });
}

export const mailMessageSchema = z.discriminatedUnion('template', [
  messageVariant('invitation'),
  messageVariant('password-reset'),
  messageVariant('application-received'),
  messageVariant('application-approved'),
  messageVariant('application-rejected'),
  messageVariant('application-more-info'),
  messageVariant('affiliate-confirm-email'),
  messageVariant('affiliate-account-exists'),
]);

/** A template added to `templateParamSchemas` but not to the union above fails to compile here. */
const everyTemplateIsAMessage: Exclude<
  TemplateName,
  z.output<typeof mailMessageSchema>['template']
> extends never
  ? true
  : never = true;
void everyTemplateIsAMessage;

type CommonInput = { [F in keyof typeof commonFields]: z.input<(typeof commonFields)[F]> };

/** What callers pass to `send`: the template name picks the type of `params`. */
export type MailMessage = {
  [K in TemplateName]: Omit<CommonInput, 'replyTo' | 'timeZone'> & {
    replyTo?: string;
    timeZone?: string;
    template: K;
    params: TemplateParamsInput[K];
  };
}[TemplateName];

/** A message after validation: normalised addresses and origin, dates as `Date`s. */
export type ValidMailMessage = z.output<typeof mailMessageSchema>;

/** Thrown by `send` when the message is not valid; `issues` lists each problem with its path. */
export class MailInputError extends Error {
  readonly issues: { path: string; message: string }[];

  constructor(issues: { path: string; message: string }[]) {
    super(`Invalid mail message: ${issues.map((i) => `${i.path || '(message)'}: ${i.message}`).join('; ')}`);
    this.name = 'MailInputError';
    this.issues = issues;
  }
}

export function parseMailMessage(input: unknown): ValidMailMessage {
  const result = mailMessageSchema.safeParse(input);
  if (!result.success) {
    throw new MailInputError(
      result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    );
  }
  return result.data;
}
