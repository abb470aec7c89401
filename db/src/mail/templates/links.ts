/**
 * Where the links in mails lead. Each path is a page of the web app that takes the single-use token from its
 * last segment; the origin is the caller's (`ORIGIN`), so the same code serves every deployment.
 * These paths are the contract with the web app's routes: change both together.
 */
export const LINK_PATHS = {
  invitation: '/invitations/',
  passwordReset: '/reset-password/',
  confirmEmail: '/sign-up/confirm/',
} as const;

export type LinkKind = keyof typeof LINK_PATHS;

/** The placeholder that replaces a token in the copy of a message kept after real SMTP delivery. */
export const REDACTED_TOKEN = '[…]';

/** `origin` is already normalised (scheme, host, port, no path) by the message schema. */
export function buildLink(origin: string, kind: LinkKind, token: string): string {
  return `${origin}${LINK_PATHS[kind]}${encodeURIComponent(token)}`;
}
