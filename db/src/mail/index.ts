/**
 * Outgoing mail: bilingual templates, SMTP through nodemailer, and the outbox in the app's database.
 * See docs/email.md.
 */
export {
  createMailer,
  MailDeliveryError,
  type Mailer,
  type MailerOptions,
  type MailLogger,
  type SendResult,
} from './mailer';
export {
  MailInputError,
  mailMessageSchema,
  parseMailMessage,
  type MailMessage,
  type ValidMailMessage,
} from './message';
export {
  createOutbox,
  ensureOutboxIndexes,
  outboxModel,
  OutboxQueryError,
  MAIL_STATUSES,
  MAIL_DELIVERIES,
  OUTBOX_PAGE_MAX,
  type MailStatus,
  type MailDelivery,
  type Outbox,
  type OutboxEntry,
  type OutboxSummary,
  type OutboxListOptions,
} from './outbox';
export { MailConfigError, DEFAULT_SMTP_TIMEOUTS, type SmtpTimeouts } from './smtp';
export { renderMail } from './templates/render';
export { LINK_PATHS, buildLink } from './templates/links';
export {
  TEMPLATE_NAMES,
  templateParamSchemas,
  type TemplateName,
  type TemplateParamsInput,
} from './templates/params';
export { readMailEnv, OUTBOX_ONLY_FROM, type MailEnv } from './env';
