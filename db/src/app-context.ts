/**
 * The process's services, handed from the host process (realtime/src/main.ts) to the web app's server code.
 *
 * SvelteKit's server code runs in the same process but is bundled separately (and, in development, loaded
 * by Vite's module runner), so it must not import the database modules itself: it reads this context. The
 * context lives on `globalThis` under a registered symbol, so every module instance sees the same one.
 * This file has type imports only, so bundling it pulls in nothing else.
 */
import type { Connection } from 'mongoose';
import type { Logger } from 'pino';
import type * as Accounts from './accounts/index';
import type { DbHandle } from './connect';
import type { Mailer, Outbox } from './mail/index';
import type { DocumentServices } from './documents/services';
import type { SpaceServices } from './spaces/services';
import type { DirectoryServices } from './directory/index';
import type { StaffServices } from './accounts/staff-services';
import type { ChannelServices } from './channels/app-services';

/** A service function with its first parameter (the database connection) already supplied. */
type OnConnection<F> = F extends (conn: Connection, ...rest: infer A) => infer R ? (...rest: A) => R : never;

/**
 * The account services, bound to the process's connection by the host process, so the web app can call
 * them without importing the database modules.
 */
export interface AccountServices {
  validateSessionToken: OnConnection<typeof Accounts.validateSessionToken>;
  signIn: OnConnection<typeof Accounts.signIn>;
  invalidateSession: OnConnection<typeof Accounts.invalidateSession>;
  inviteMember: OnConnection<typeof Accounts.inviteMember>;
  resendInvitation: OnConnection<typeof Accounts.resendInvitation>;
  revokeInvitation: OnConnection<typeof Accounts.revokeInvitation>;
  listInvitations: OnConnection<typeof Accounts.listInvitations>;
  describeInvitation: OnConnection<typeof Accounts.describeInvitation>;
  acceptInvitation: OnConnection<typeof Accounts.acceptInvitation>;
  requestPasswordReset: OnConnection<typeof Accounts.requestPasswordReset>;
  resetPassword: OnConnection<typeof Accounts.resetPassword>;
  setPasswordWithLink: OnConnection<typeof Accounts.setPasswordWithLink>;
  submitApplication: OnConnection<typeof Accounts.submitApplication>;
  listApplications: OnConnection<typeof Accounts.listApplications>;
  getApplication: OnConnection<typeof Accounts.getApplication>;
  readApplicationFile: OnConnection<typeof Accounts.readApplicationFile>;
  decideApplication: OnConnection<typeof Accounts.decideApplication>;
  /** The session cookie's name and attributes for this origin. */
  sessionCookie: Accounts.SessionCookieSpec;
  /** Staff read sent and unsent mail here (the only place it is readable when no SMTP is configured). */
  outbox: Outbox;
}

export interface AppContext {
  /** The public origin, e.g. https://workspace.example.org. */
  origin: string;
  dataDir: string;
  logger: Logger;
  db: DbHandle;
  mailer: Mailer;
  accounts: AccountServices;
  /** Document content and versions, through the live sync rooms (db/src/documents/services.ts). */
  documents: DocumentServices;
  /** Spaces, members, document trees and the signed-in home (db/src/spaces/). */
  spaces: SpaceServices;
  /** The member directory and each person's own profile. */
  directory: DirectoryServices;
  /** Staff administration (people, organisations, audit log) and affiliate sign-up. */
  staff: StaffServices;
  /** Channel lists, history pages and search for the HTTP API (live events go over socket.io). */
  channels: ChannelServices;
}

const KEY = Symbol.for('cope.app-context');
type WithContext = typeof globalThis & { [KEY]?: AppContext };

export function provideAppContext(context: AppContext | undefined): void {
  (globalThis as WithContext)[KEY] = context;
}

export function appContext(): AppContext {
  const context = (globalThis as WithContext)[KEY];
  if (!context) {
    throw new Error('The app context is missing: the web app runs only inside the COPE server process.');
  }
  return context;
}
