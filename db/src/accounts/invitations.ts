/**
 * Invitations: staff invite a person by email, as a contact of an organisation or as an individual member;
 * the person opens the single-use link from the mail, chooses a name and a password, and is signed in.
 *
 * The staff check is here, with `can()`, and not only in the HTTP layer, so every entry point (API, pages,
 * scripts) is refused the same way when the actor is not staff. Every change is in the audit log with its
 * actor. Results, never exceptions, for input from outside.
 */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { can, emailSchema, localeSchema, nameSchema } from '@cope/domain';
import type { Actor, Locale } from '@cope/domain';
import { MailDeliveryError } from '../mail/mailer.js';
import type { Mailer } from '../mail/mailer.js';
import { models } from '../models/index.js';
import type { InvitationRecord, InvitationStatus } from '../models/index.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import {
  consumeOneTimeToken,
  issueOneTimeToken,
  peekOneTimeToken,
  revokeOneTimeTokens,
} from './one-time-tokens.js';
import { checkPasswordPolicy } from './passwords.js';
import type { PasswordProblem } from './passwords.js';
import { createSession, generateSessionToken } from './sessions.js';
import type { Session } from './sessions.js';
import { createUser } from './users.js';

export type InvitationErrorCode =
  | 'invalidInput'
  /** The actor may not manage invitations (not staff, disabled, or unknown). */
  | 'forbidden'
  /** The email already has an account: nothing to invite. */
  | 'emailTaken'
  /** A pending invitation to this email exists: resend it instead. */
  | 'alreadyInvited'
  | 'notFound'
  /** The invitation was accepted or revoked: it can no longer be resent or revoked. */
  | 'notPending'
  /** The link is malformed, unknown, used, revoked or expired (one answer for all: the link does not work). */
  | 'invalidToken'
  /** Stored, but the mail could not be sent: staff may resend it. */
  | 'mailFailed'
  | PasswordProblem;

export type InvitationResult<T> =
  { ok: true; value: T } | { ok: false; code: InvitationErrorCode; message: string };

function fail(
  code: InvitationErrorCode,
  message: string,
): { ok: false; code: InvitationErrorCode; message: string } {
  return { ok: false, code, message };
}

const objectIdString = z.string().regex(/^[0-9a-f]{24}$/i, { message: 'Not an id' });

export const newInvitationSchema = z.object({
  email: emailSchema,
  /** Greets the invitee in the mail and pre-fills the form; they may change it when accepting. */
  name: nameSchema.optional(),
  /** Set: the invitee becomes a contact of this organisation. Absent: an individual member. */
  organisationId: objectIdString.nullable().optional(),
  /** The invitee's language: the mail's and the new account's. */
  locale: localeSchema.default('en'),
});

export type NewInvitation = z.input<typeof newInvitationSchema>;

export const acceptInvitationSchema = z.object({
  name: nameSchema,
  password: z.string().max(10_000),
  locale: localeSchema.optional(),
});

export type AcceptInvitationInput = z.input<typeof acceptInvitationSchema>;

export interface InvitationContext {
  /** Who acts; checked against the capability table. */
  actor: Actor | null;
  /** The app's public origin (`ORIGIN`): links in the mail point there. */
  origin: string;
  mailer: Pick<Mailer, 'send'>;
  clock?: Clock;
}

/** An invitation as staff see it (no token: only the invitee's mail holds that). */
export interface InvitationView {
  id: string;
  email: string;
  name: string | null;
  networkRole: 'member';
  organisationId: string | null;
  locale: Locale;
  invitedBy: string;
  status: InvitationStatus;
  createdAt: Date;
  expiresAt: Date;
  lastSentAt: Date;
  userId: string | null;
}

/** A pending invitation past its link's expiry reads as `expired` (the stored status catches up lazily). */
function view(doc: InvitationRecord, now: number): InvitationView {
  const status: InvitationStatus =
    doc.status === 'pending' && doc.expiresAt.getTime() <= now ? 'expired' : doc.status;
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    name: doc.name ?? null,
    networkRole: 'member',
    organisationId: doc.organisationId?.toHexString() ?? null,
    locale: doc.locale,
    invitedBy: doc.invitedBy.toHexString(),
    status,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    lastSentAt: doc.lastSentAt,
    userId: doc.userId?.toHexString() ?? null,
  };
}

/** The staff member behind the actor, or null when the actor may not manage invitations. */
async function staffActor(
  conn: Connection,
  actor: Actor | null,
): Promise<{ id: Types.ObjectId; name: string } | null> {
  if (!can(actor, 'admin.invitations.manage') || actor === null) return null;
  const id = objectIdString.safeParse(actor.userId);
  if (!id.success) return null;
  const user = await models(conn).User.findById(id.data).lean();
  // The stored account decides too: a role changed or an account disabled since the actor was read is refused.
  if (user === null || user.disabled || user.networkRole !== 'staff') return null;
  return { id: user._id, name: user.name };
}

function clockOf(ctx: { clock?: Clock }): Clock {
  return ctx.clock ?? systemClock;
}

async function audit(
  conn: Connection,
  clock: Clock,
  action: string,
  actorId: Types.ObjectId | string | null,
  invitationId: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordAudit(
    conn,
    { action, actorId, subject: { kind: 'invitation', id: invitationId }, details },
    { clock },
  );
}

/** Issues a fresh link for the invitation and mails it. Returns the link's expiry. */
async function sendInvitationMail(
  conn: Connection,
  invitation: InvitationRecord,
  inviterName: string,
  ctx: InvitationContext,
): Promise<{ ok: true; expiresAt: Date } | { ok: false; message: string }> {
  const clock = clockOf(ctx);
  const { token, expiresAt } = await issueOneTimeToken(
    conn,
    'invitation',
    { invitationId: invitation._id },
    { clock },
  );
  let organisationName: string | undefined;
  if (invitation.organisationId) {
    const org = await models(conn).Organisation.findById(invitation.organisationId).lean();
    organisationName = org?.name;
  }
  try {
    await ctx.mailer.send({
      to: invitation.email,
      language: invitation.locale,
      origin: ctx.origin,
      template: 'invitation',
      params: {
        inviterName,
        ...(invitation.name ? { inviteeName: invitation.name } : {}),
        ...(organisationName === undefined ? {} : { organisationName }),
        token,
        expiresAt,
      },
    });
  } catch (error) {
    if (error instanceof MailDeliveryError) return { ok: false, message: error.message };
    throw error;
  }
  return { ok: true, expiresAt };
}

/**
 * Staff invite a person. Refused when the actor is not staff (`forbidden`), the email has an account
 * (`emailTaken`) or a pending invitation (`alreadyInvited`), or the organisation does not exist (`notFound`).
 * When the mail cannot be sent the invitation is kept (`mailFailed`, with its id) so staff can resend it.
 */
export async function inviteMember(
  conn: Connection,
  input: NewInvitation,
  ctx: InvitationContext,
): Promise<InvitationResult<InvitationView>> {
  const clock = clockOf(ctx);
  const staff = await staffActor(conn, ctx.actor);
  if (staff === null) return fail('forbidden', 'Only staff may invite people');
  const parsed = newInvitationSchema.safeParse(input);
  if (!parsed.success) return fail('invalidInput', parsed.error.issues.map((i) => i.message).join('; '));
  const { email, name, organisationId, locale } = parsed.data;
  const { User, Organisation, Invitation } = models(conn);

  if ((await User.exists({ email })) !== null) {
    return fail('emailTaken', 'An account with this email already exists');
  }
  const now = clock();
  const pending = await Invitation.exists({ email, status: 'pending', expiresAt: { $gt: new Date(now) } });
  if (pending !== null)
    return fail('alreadyInvited', 'This email has a pending invitation: resend it instead');
  if (organisationId && (await Organisation.exists({ _id: organisationId })) === null) {
    return fail('notFound', 'No such organisation');
  }

  const created = await Invitation.create({
    email,
    name: name ?? null,
    networkRole: 'member',
    organisationId: organisationId ? new Types.ObjectId(organisationId) : null,
    locale,
    invitedBy: staff.id,
    status: 'pending',
    createdAt: new Date(now),
    // Set for real by the link below; a placeholder keeps the document valid meanwhile.
    expiresAt: new Date(now),
    lastSentAt: new Date(now),
  });
  const invitation = created.toObject<InvitationRecord>();
  const id = invitation._id.toHexString();
  await audit(conn, clock, 'invitation.create', staff.id, id, {
    networkRole: 'member',
    organisationId: organisationId ?? null,
  });
  const sent = await sendInvitationMail(conn, invitation, staff.name, ctx);
  if (!sent.ok)
    return fail('mailFailed', `Invitation ${id} was saved but its mail was not sent: ${sent.message}`);
  const updated = await Invitation.findByIdAndUpdate(
    invitation._id,
    { $set: { expiresAt: sent.expiresAt, lastSentAt: new Date(now) } },
    { returnDocument: 'after' },
  ).lean();
  return { ok: true, value: view(updated ?? invitation, now) };
}

/** Sends a new link (a pending or expired invitation); the previous links stop working. */
export async function resendInvitation(
  conn: Connection,
  invitationId: unknown,
  ctx: InvitationContext,
): Promise<InvitationResult<InvitationView>> {
  const clock = clockOf(ctx);
  const staff = await staffActor(conn, ctx.actor);
  if (staff === null) return fail('forbidden', 'Only staff may resend invitations');
  const id = objectIdString.safeParse(invitationId);
  if (!id.success) return fail('invalidInput', 'Not an invitation id');
  const { Invitation, User } = models(conn);
  const invitation = await Invitation.findById(id.data).lean();
  if (invitation === null) return fail('notFound', 'No such invitation');
  if (invitation.status !== 'pending' && invitation.status !== 'expired') {
    return fail('notPending', `The invitation is ${invitation.status}`);
  }
  if ((await User.exists({ email: invitation.email })) !== null) {
    return fail('emailTaken', 'An account with this email exists now');
  }
  const revoked = await revokeOneTimeTokens(conn, { invitationId: invitation._id });
  const now = clock();
  // The mail names who sends it now, not who first invited.
  const sent = await sendInvitationMail(conn, invitation, staff.name, ctx);
  await audit(conn, clock, 'invitation.resend', staff.id, id.data, {
    revokedLinks: revoked,
    mailSent: sent.ok,
  });
  if (!sent.ok) return fail('mailFailed', `The new link was not sent: ${sent.message}`);
  const updated = await Invitation.findOneAndUpdate(
    { _id: invitation._id, status: { $in: ['pending', 'expired'] } },
    { $set: { status: 'pending', expiresAt: sent.expiresAt, lastSentAt: new Date(now) } },
    { returnDocument: 'after' },
  ).lean();
  if (updated === null) {
    // Accepted or revoked while the mail was going out: the new link must not outlive that.
    await revokeOneTimeTokens(conn, { invitationId: invitation._id });
    return fail('notPending', 'The invitation changed meanwhile');
  }
  return { ok: true, value: view(updated, now) };
}

/** Revokes a pending (or expired) invitation: its link stops working at once. */
export async function revokeInvitation(
  conn: Connection,
  invitationId: unknown,
  ctx: Omit<InvitationContext, 'origin' | 'mailer'>,
): Promise<InvitationResult<InvitationView>> {
  const clock = clockOf(ctx);
  const staff = await staffActor(conn, ctx.actor);
  if (staff === null) return fail('forbidden', 'Only staff may revoke invitations');
  const id = objectIdString.safeParse(invitationId);
  if (!id.success) return fail('invalidInput', 'Not an invitation id');
  const now = clock();
  const updated = await models(conn)
    .Invitation.findOneAndUpdate(
      { _id: id.data, status: { $in: ['pending', 'expired'] } },
      { $set: { status: 'revoked', revokedAt: new Date(now) } },
      { returnDocument: 'after' },
    )
    .lean();
  if (updated === null) {
    const exists = await models(conn).Invitation.exists({ _id: id.data });
    return exists === null
      ? fail('notFound', 'No such invitation')
      : fail('notPending', 'The invitation is no longer pending');
  }
  const revoked = await revokeOneTimeTokens(conn, { invitationId: updated._id });
  await audit(conn, clock, 'invitation.revoke', staff.id, id.data, { revokedLinks: revoked });
  return { ok: true, value: view(updated, now) };
}

/** Invitations for the staff list, newest first. */
export async function listInvitations(
  conn: Connection,
  filter: { status?: InvitationStatus; limit?: number },
  ctx: { actor: Actor | null; clock?: Clock },
): Promise<InvitationResult<InvitationView[]>> {
  if ((await staffActor(conn, ctx.actor)) === null)
    return fail('forbidden', 'Only staff may list invitations');
  const now = clockOf(ctx)();
  const limit = Math.min(Math.max(Math.trunc(filter.limit ?? 100), 1), 500);
  const query: Record<string, unknown> = {};
  // `expired` is mostly a computed state: a pending invitation past its expiry.
  if (filter.status === 'pending')
    Object.assign(query, { status: 'pending', expiresAt: { $gt: new Date(now) } });
  else if (filter.status === 'expired')
    Object.assign(query, {
      $or: [{ status: 'expired' }, { status: 'pending', expiresAt: { $lte: new Date(now) } }],
    });
  else if (filter.status !== undefined) query.status = filter.status;
  const docs = await models(conn).Invitation.find(query).sort({ createdAt: -1, _id: -1 }).limit(limit).lean();
  return { ok: true, value: docs.map((d) => view(d, now)) };
}

/** What the invitation page shows before the form is sent (who is invited, as what). Does not use the link. */
export async function describeInvitation(
  conn: Connection,
  token: unknown,
  options: { clock?: Clock } = {},
): Promise<
  InvitationResult<{ email: string; name: string | null; organisationName: string | null; locale: Locale }>
> {
  const clock = clockOf(options);
  const used = await peekOneTimeToken(conn, token, 'invitation', { clock });
  if (used === null || used.invitationId === null)
    return fail('invalidToken', 'This invitation link does not work');
  const invitation = await models(conn).Invitation.findById(used.invitationId).lean();
  if (invitation === null || invitation.status !== 'pending') {
    return fail('invalidToken', 'This invitation link does not work');
  }
  const org = invitation.organisationId
    ? await models(conn).Organisation.findById(invitation.organisationId).lean()
    : null;
  return {
    ok: true,
    value: {
      email: invitation.email,
      name: invitation.name ?? null,
      organisationName: org?.name ?? null,
      locale: invitation.locale,
    },
  };
}

export interface AcceptedInvitation {
  userId: string;
  /** The new session's token: the caller sets the session cookie with it. */
  sessionToken: string;
  session: Session;
}

/**
 * The invitee accepts: the account is created with the chosen name and password (policy applies), the
 * invitation is marked accepted and the person is signed in. The link works once: the password is checked
 * before the link is used, so a refused password leaves the link working; two concurrent acceptances get one
 * account between them.
 */
export async function acceptInvitation(
  conn: Connection,
  token: unknown,
  input: AcceptInvitationInput,
  options: { clock?: Clock } = {},
): Promise<InvitationResult<AcceptedInvitation>> {
  const clock = clockOf(options);
  const parsed = acceptInvitationSchema.safeParse(input);
  if (!parsed.success) return fail('invalidInput', parsed.error.issues.map((i) => i.message).join('; '));
  const policy = checkPasswordPolicy(parsed.data.password);
  if (!policy.ok) return fail(policy.problem, `The password is refused (${policy.problem})`);

  const badLink = fail('invalidToken', 'This invitation link does not work');
  const peeked = await peekOneTimeToken(conn, token, 'invitation', { clock });
  if (peeked === null || peeked.invitationId === null) return badLink;
  const used = await consumeOneTimeToken(conn, token, 'invitation', { clock });
  if (used === null || used.invitationId === null) return badLink;

  const { Invitation, Organisation } = models(conn);
  const now = clock();
  const invitation = await Invitation.findOneAndUpdate(
    { _id: used.invitationId, status: 'pending' },
    { $set: { status: 'accepted', acceptedAt: new Date(now) } },
    { returnDocument: 'after' },
  ).lean();
  if (invitation === null) return badLink;

  const created = await createUser(
    conn,
    {
      email: invitation.email,
      name: parsed.data.name,
      networkRole: invitation.networkRole,
      password: parsed.data.password,
      locale: parsed.data.locale ?? invitation.locale,
      organisationId: invitation.organisationId ?? null,
    },
    // The account exists because this staff member invited the person.
    { actorId: invitation.invitedBy.toHexString(), clock },
  );
  if (!created.ok) {
    // Most likely an account made for this email since the invitation: staff see it pending again.
    await Invitation.updateOne({ _id: invitation._id }, { $set: { status: 'pending', acceptedAt: null } });
    return fail(created.code === 'emailTaken' ? 'emailTaken' : 'invalidInput', created.message);
  }
  const userId = created.value.id;
  await Invitation.updateOne({ _id: invitation._id }, { $set: { userId: new Types.ObjectId(userId) } });
  if (invitation.organisationId) {
    await Organisation.updateOne(
      { _id: invitation.organisationId },
      { $addToSet: { contacts: new Types.ObjectId(userId) } },
    );
  }
  await audit(conn, clock, 'invitation.accept', userId, invitation._id.toHexString(), {
    invitedBy: invitation.invitedBy.toHexString(),
    organisationId: invitation.organisationId?.toHexString() ?? null,
  });
  const sessionToken = generateSessionToken();
  const session = await createSession(conn, sessionToken, userId, { clock });
  return { ok: true, value: { userId, sessionToken, session } };
}
