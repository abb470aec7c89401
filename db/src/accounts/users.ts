/**
 * Changes to accounts that other parts (the CLI, the HTTP API, staff pages) all make the same way: each one
 * validates its input, enforces the password policy, ends sessions when it must, and writes the audit log.
 * Input from outside gets a result, never an exception: `{ ok: false, code }` with a code a caller can
 * translate (the HTTP API maps them to its error codes).
 */
import { Types } from 'mongoose';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { emailSchema, localeSchema, nameSchema, networkRoleSchema } from '@cope/domain';
import type { NetworkRole } from '@cope/domain';
import { models } from '../models/index.js';
import { isDuplicateKeyError } from '../mongo-errors.js';
import { recordAudit } from './audit.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import type { PasswordProblem } from './passwords.js';
import { invalidateUserSessions } from './sessions.js';

export interface ChangeContext {
  /** Who makes the change (for the audit log); null for the system, e.g. the CLI. */
  actorId: string | null;
  clock?: Clock;
}

export type AccountErrorCode = 'invalidInput' | 'emailTaken' | 'notFound' | PasswordProblem;

export type AccountResult<T> =
  { ok: true; value: T } | { ok: false; code: AccountErrorCode; message: string };

function fail(
  code: AccountErrorCode,
  message: string,
): { ok: false; code: AccountErrorCode; message: string } {
  return { ok: false, code, message };
}

const PASSWORD_MESSAGES: Record<PasswordProblem, string> = {
  tooShort: 'The password is too short',
  tooLong: 'The password is too long',
  common: 'This password is one of the most common ones',
};

const objectId = z.union([z.string().regex(/^[0-9a-f]{24}$/i), z.instanceof(Types.ObjectId)]);

export const newUserSchema = z.object({
  email: emailSchema,
  name: nameSchema,
  networkRole: networkRoleSchema,
  /** Absent: the account has no password until the person sets one (invitation / set-password link). */
  password: z.string().optional(),
  locale: localeSchema.default('en'),
  organisationId: objectId.nullable().optional(),
});

export type NewUser = z.input<typeof newUserSchema>;

async function audit(conn: Connection, ctx: ChangeContext, action: string, userId: string, details = {}) {
  await recordAudit(
    conn,
    { action, actorId: ctx.actorId, subject: { kind: 'user', id: userId }, details },
    ctx.clock ? { clock: ctx.clock } : {},
  );
}

export async function createUser(
  conn: Connection,
  input: NewUser,
  ctx: ChangeContext,
): Promise<AccountResult<{ id: string }>> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) return fail('invalidInput', parsed.error.issues.map((i) => i.message).join('; '));
  const { password, organisationId, ...fields } = parsed.data;
  let passwordHash: string | null = null;
  if (password !== undefined) {
    const check = checkPasswordPolicy(password);
    if (!check.ok) return fail(check.problem, PASSWORD_MESSAGES[check.problem]);
    passwordHash = await hashPassword(password);
  }
  try {
    const user = await models(conn).User.create({
      ...fields,
      passwordHash,
      organisationId: organisationId ? new Types.ObjectId(String(organisationId)) : null,
      createdAt: new Date((ctx.clock ?? systemClock)()),
    });
    const id = user._id.toHexString();
    await audit(conn, ctx, 'user.create', id, { networkRole: fields.networkRole });
    return { ok: true, value: { id } };
  } catch (error) {
    if (isDuplicateKeyError(error)) return fail('emailTaken', 'An account with this email already exists');
    throw error;
  }
}

function parseId(userId: unknown): Types.ObjectId | null {
  const r = objectId.safeParse(userId);
  return r.success ? new Types.ObjectId(String(r.data)) : null;
}

/** Sets a new password (policy enforced) and ends every session of the person, this device's included. */
export async function setPassword(
  conn: Connection,
  userId: unknown,
  password: unknown,
  ctx: ChangeContext,
): Promise<AccountResult<{ endedSessions: number }>> {
  const id = parseId(userId);
  if (id === null || typeof password !== 'string')
    return fail('invalidInput', 'A user id and a password are needed');
  const check = checkPasswordPolicy(password);
  if (!check.ok) return fail(check.problem, PASSWORD_MESSAGES[check.problem]);
  const passwordHash = await hashPassword(password);
  const result = await models(conn).User.updateOne({ _id: id }, { $set: { passwordHash } });
  if (result.matchedCount === 0) return fail('notFound', 'No such account');
  const endedSessions = await invalidateUserSessions(conn, id);
  await audit(conn, ctx, 'user.password.change', id.toHexString());
  return { ok: true, value: { endedSessions } };
}

/** Disables (ending every session) or re-enables an account. */
export async function setUserDisabled(
  conn: Connection,
  userId: unknown,
  disabled: boolean,
  ctx: ChangeContext,
): Promise<AccountResult<{ endedSessions: number }>> {
  const id = parseId(userId);
  if (id === null) return fail('invalidInput', 'Not a user id');
  const result = await models(conn).User.updateOne({ _id: id }, { $set: { disabled } });
  if (result.matchedCount === 0) return fail('notFound', 'No such account');
  const endedSessions = disabled ? await invalidateUserSessions(conn, id) : 0;
  await audit(conn, ctx, disabled ? 'user.disable' : 'user.enable', id.toHexString());
  return { ok: true, value: { endedSessions } };
}

/**
 * Changes a person's network role, keeping the before and after in the audit log. A change ends the
 * person's sessions (and so their live sockets): every connection they open afterwards carries the new
 * role, and none keeps a capability the old role gave.
 */
export async function setNetworkRole(
  conn: Connection,
  userId: unknown,
  networkRole: unknown,
  ctx: ChangeContext,
): Promise<AccountResult<{ from: NetworkRole; to: NetworkRole }>> {
  const id = parseId(userId);
  const role = networkRoleSchema.safeParse(networkRole);
  if (id === null || !role.success) return fail('invalidInput', 'A user id and a network role are needed');
  const before = await models(conn)
    .User.findOneAndUpdate({ _id: id }, { $set: { networkRole: role.data } }, { returnDocument: 'before' })
    .lean();
  if (before === null) return fail('notFound', 'No such account');
  const change = { from: before.networkRole, to: role.data };
  if (change.from !== change.to) {
    const endedSessions = await invalidateUserSessions(conn, id);
    await audit(conn, ctx, 'user.role.change', id.toHexString(), { ...change, endedSessions });
  }
  return { ok: true, value: change };
}
