/**
 * What the mail tests share: a real SMTP server in-process (smtp-server, on a free port of loopback) that
 * parses what it receives with mailparser, a mongoose connection to a fresh test database, and a pino
 * logger whose lines the test can read.
 */
import { Writable } from 'node:stream';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pino, type Logger } from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { startMongooseDatabase, type MongooseTestDatabase } from '../helpers/mongoose-database';

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT`, without credentials. */
  url: string;
  port: number;
  /** Every message the server accepted, parsed, in order of arrival. */
  received: ParsedMail[];
  /** The envelope recipients of each accepted message. */
  envelopes: string[][];
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Refuse every recipient with this SMTP reply (e.g. 550 "mailbox unavailable"). */
  rejectRecipients?: { code: number; message: string };
  /** Require AUTH with these credentials; a wrong login is refused with `authFailureMessage`. */
  auth?: { user: string; pass: string; failureMessage?: (user: string, pass: string) => string };
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ParsedMail[] = [];
  const envelopes: string[][] = [];
  const serverOptions: SMTPServerOptions = {
    // No TLS in tests: the client would refuse smtp-server's self-signed certificate.
    disabledCommands: options.auth === undefined ? ['STARTTLS', 'AUTH'] : ['STARTTLS'],
    authOptional: options.auth === undefined,
    allowInsecureAuth: true,
    logger: false,
    // The client is this process on loopback: nothing to learn from a reverse DNS lookup but a delay.
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      const expected = options.auth;
      if (expected !== undefined && auth.username === expected.user && auth.password === expected.pass) {
        callback(null, { user: auth.username });
        return;
      }
      const text =
        expected?.failureMessage?.(auth.username ?? '', auth.password ?? '') ?? 'Invalid credentials';
      callback(Object.assign(new Error(text), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      const reject = options.rejectRecipients;
      if (reject === undefined) callback();
      else callback(Object.assign(new Error(reject.message), { responseCode: reject.code }));
    },
    onData(stream, session, callback) {
      // The message is parsed and stored before the server answers 250, so a resolved `send` means it is here.
      simpleParser(stream).then(
        (mail) => {
          received.push(mail);
          envelopes.push(session.envelope.rcptTo.map((r) => r.address));
          callback();
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP test server has no TCP address');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    port: address.port,
    received,
    envelopes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type MailTestDatabase = MongooseTestDatabase;

/** A mongoose connection to a fresh database: the embedded server on a temp folder, or MONGODB_URL. */
export function startMailDatabase(): Promise<MailTestDatabase> {
  return startMongooseDatabase();
}

/** A pino logger writing JSON lines into `lines`, so tests can check what was (not) logged. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

export const ORIGIN = 'https://workspace.example.org';
export const FROM = 'COPE Workspace <workspace@example.org>';
/** 16+ URL-safe characters, as the accounts code issues them. */
export const TOKEN = 'k3xq7m2v9w4r8t6y5u1i0o3p';
