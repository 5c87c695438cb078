import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, lt, notInArray, sql } from 'drizzle-orm';
import { passwordLinks, roles, sessions, totpRecoveryCodes, userRoles, users } from '../../../db/schema/index.js';
import { passwordProblem } from '../../../shared/password.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow } from '../../lib/crud.js';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../../lib/errors.js';
import { hashPassword } from '../auth/auth.service.js';
import type { User } from './access.schemas.js';
import { setUserZones, userResource } from './access.service.js';
import type { CreateUserBody, PasswordLink, ResetPasswordBody, SetPasswordBody, UpdateUserBody } from './users.schemas.js';

/** How long a set-password link works (the database refuses a longer one: password_links_expiry_window). */
export const LINK_TTL_HOURS = 24;

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** The password rule (shared/password.ts), as the API answers it: a 400 naming the field. */
function assertPasswordOk(password: string, email: string) {
  const problem = passwordProblem(password, email);
  if (problem) throw new AppError(400, 'weak_password', `password: ${problem}`, { field: 'password' });
}

/**
 * A hash nobody knows the password of: a user waiting for their set-password link (or whose password an admin reset
 * to a link) cannot log in until they use it. argon2 of 32 random bytes, so login's verify treats it like any other.
 */
const unusablePasswordHash = () => hashPassword(randomBytes(32).toString('hex'));

const getUser = (ctx: Ctx, id: string) => getRow(ctx, userResource, id) as Promise<User>;

/**
 * The user's row, locked against concurrent changes of it. FOR NO KEY UPDATE, not FOR UPDATE: the audit row (and any
 * row naming a user) takes a key-share lock on its actor's row, and an admin demoting a second admin while that one
 * demotes the first would otherwise deadlock (each holding the other's user row, one waiting on the admin role's row).
 */
async function lockedUser(tx: Ctx, id: string): Promise<User> {
  const [found] = await tx.db.select({ id: users.id }).from(users).where(eq(users.id, id)).for('no key update');
  if (!found) throw notFound('User');
  return getUser(tx, id);
}

/** The ids of the named roles; an unknown name is a 422 that names it (and the roles there are). */
async function roleIds(tx: Ctx, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const found = await tx.db.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.name, names));
  const missing = names.filter((n) => !found.some((f) => f.name === n));
  if (missing.length) {
    const all = await tx.db.select({ name: roles.name }).from(roles).orderBy(roles.name);
    throw unprocessable(
      `roles: no role named ${missing.map((m) => `"${m}"`).join(', ')}. Roles: ${all.map((r) => r.name).join(', ')}.`,
      'unknown_role',
    );
  }
  return found.map((f) => f.id);
}

/**
 * A new one-time link for a user, replacing any unused one (only the newest link an admin handed out works). The
 * token is answered once; the database keeps its SHA-256. Links long expired are cleared on the way.
 */
async function issueLink(tx: Ctx, userId: string): Promise<PasswordLink & { id: string }> {
  await tx.db.delete(passwordLinks).where(and(eq(passwordLinks.user_id, userId), isNull(passwordLinks.used_at)));
  await tx.db.delete(passwordLinks).where(lt(passwordLinks.expires_at, sql`now() - interval '30 days'`));
  const token = randomBytes(32).toString('base64url');
  const [link] = await tx.db
    .insert(passwordLinks)
    .values({ user_id: userId, token_hash: tokenHash(token), created_by: tx.actor?.id ?? null, expires_at: sql`now() + make_interval(hours => ${LINK_TTL_HOURS})` })
    .returning({ id: passwordLinks.id, expires_at: passwordLinks.expires_at });
  return { id: link.id, path: `/set-password?token=${token}`, token, expires_at: link.expires_at.toISOString() };
}

/** Ends every session of a user (deactivation, a password reset): their next request is a 401. */
async function endSessions(tx: Ctx, userId: string): Promise<number> {
  const ended = await tx.db.delete(sessions).where(eq(sessions.user_id, userId)).returning({ id: sessions.id });
  return ended.length;
}

export async function createUser(ctx: Ctx, input: CreateUserBody): Promise<User & { set_password_link: PasswordLink | null }> {
  if (input.password !== undefined) assertPasswordOk(input.password, input.email);
  // Hashed before the transaction: argon2 takes tens of milliseconds and holds no lock meanwhile.
  const password_hash = input.password !== undefined ? await hashPassword(input.password) : await unusablePasswordHash();
  return transaction(ctx, async (tx) => {
    const ids = await roleIds(tx, input.roles);
    // A taken email fails on users_email_key: a 409 (two creations of one email at once: one wins, the same way).
    const [created] = await tx.db
      .insert(users)
      .values({ email: input.email, name: input.name, password_hash, is_active: input.is_active ?? true })
      .returning({ id: users.id });
    await tx.db.insert(userRoles).values(ids.map((role_id) => ({ user_id: created.id, role_id })));
    if (input.zone_ids) await setUserZones(tx, created.id, input.zone_ids);
    const link = input.send_link ? await issueLink(tx, created.id) : null;
    const user = await getUser(tx, created.id);
    await audit(tx, {
      action: 'create',
      table: 'users',
      recordId: created.id,
      after: { ...user, password: link ? 'set-password link' : 'set by an admin', link_expires_at: link?.expires_at ?? null },
    });
    return { ...user, set_password_link: link && { path: link.path, token: link.token, expires_at: link.expires_at } };
  });
}

/**
 * Name, roles and active flag. Permissions are read from the database on every request (actorForToken), so a removed
 * role or a deactivation applies to the user's very next request; deactivating also ends their sessions here, in the
 * same transaction. The last active admin cannot be deactivated or demoted: the database refuses it
 * (users_last_active_admin, serialised on the admin role's row) and the API answers 409.
 */
export async function updateUser(ctx: Ctx, id: string, input: UpdateUserBody): Promise<User> {
  return transaction(ctx, async (tx) => {
    const before = await lockedUser(tx, id);
    let sessionsEnded = 0;
    const fields: Partial<typeof users.$inferInsert> = {};
    if (input.name !== undefined && input.name !== before.name) fields.name = input.name;
    if (input.is_active !== undefined && input.is_active !== before.is_active) fields.is_active = input.is_active;
    const rolesChange = input.roles !== undefined && [...input.roles].sort().join('\n') !== [...before.roles].sort().join('\n');
    const zonesChange = input.zone_ids !== undefined && [...new Set(input.zone_ids)].sort().join('\n') !== before.zone_ids.join('\n');
    if (Object.keys(fields).length === 0 && !rolesChange && !zonesChange) return before;

    if (rolesChange) {
      const ids = await roleIds(tx, input.roles!);
      const kept = ids.length ? notInArray(userRoles.role_id, ids) : undefined;
      await tx.db.delete(userRoles).where(and(eq(userRoles.user_id, id), kept));
      if (ids.length) await tx.db.insert(userRoles).values(ids.map((role_id) => ({ user_id: id, role_id }))).onConflictDoNothing();
    }
    if (zonesChange) await setUserZones(tx, id, input.zone_ids!);
    await tx.db.update(users).set({ ...fields, updated_at: new Date() }).where(eq(users.id, id));
    if (fields.is_active === false) sessionsEnded = await endSessions(tx, id);

    const after = await getUser(tx, id);
    await audit(tx, { action: 'update', table: 'users', recordId: id, before, after: sessionsEnded ? { ...after, sessions_ended: sessionsEnded } : after });
    return after;
  });
}

/**
 * An admin resets a password: to one they type, or to a fresh one-time link. Either way the old password stops
 * working and the user's sessions end (a reset usually means the password may be known to someone else).
 */
export async function resetPassword(
  ctx: Ctx,
  id: string,
  input: ResetPasswordBody,
): Promise<{ user: User; set_password_link: PasswordLink | null; sessions_ended: number }> {
  const target = await getUser(ctx, id);
  if (input.password !== undefined) assertPasswordOk(input.password, target.email);
  const password_hash = input.password !== undefined ? await hashPassword(input.password) : await unusablePasswordHash();
  return transaction(ctx, async (tx) => {
    await lockedUser(tx, id);
    await tx.db.update(users).set({ password_hash, updated_at: new Date() }).where(eq(users.id, id));
    const sessions_ended = await endSessions(tx, id);
    // A typed password also retires any link still open; a new link replaces it (issueLink).
    const link = input.send_link ? await issueLink(tx, id) : null;
    if (!link) await tx.db.delete(passwordLinks).where(and(eq(passwordLinks.user_id, id), isNull(passwordLinks.used_at)));
    await audit(tx, {
      action: 'reset_password',
      table: 'users',
      recordId: id,
      after: { password: link ? 'set-password link' : 'set by an admin', link_expires_at: link?.expires_at ?? null, sessions_ended },
    });
    return { user: await getUser(tx, id), set_password_link: link && { path: link.path, token: link.token, expires_at: link.expires_at }, sessions_ended };
  });
}

/**
 * An admin turns off another user's second factor when their phone and recovery codes are lost: the secret and codes
 * go, their sessions end, and they enrol again on their profile. Never one's own (the profile's disable asks for a
 * code): someone else must vouch, and the route asks that admin for a fresh code of their own.
 */
export async function resetTwoFactor(ctx: Ctx, id: string): Promise<{ user: User; sessions_ended: number }> {
  if (ctx.actor?.id === id) throw conflict("Your own two-factor sign-in is turned off on your profile, with a code or a recovery code; another admin can reset it if you lost both.", 'own_two_factor');
  return transaction(ctx, async (tx) => {
    const before = await lockedUser(tx, id);
    if (!before.totp_enabled) throw conflict(`${before.name} has no two-factor sign-in to reset.`, 'totp_not_enabled');
    await tx.db.update(users).set({ totp_secret: null, totp_confirmed_at: null, totp_last_step: null, updated_at: new Date() }).where(eq(users.id, id));
    await tx.db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.user_id, id));
    const sessions_ended = await endSessions(tx, id);
    await audit(tx, { action: 'totp_reset', table: 'users', recordId: id, before: { totp_enabled: true }, after: { totp_enabled: false, sessions_ended } });
    return { user: await getUser(tx, id), sessions_ended };
  });
}

/**
 * The public end of a link: the user chooses their password. The link is checked first (a weak password does not use
 * it up, so the user can try again), then claimed by one conditional UPDATE: of two uses at once, one wins and the
 * other is told the link was used.
 */
export async function setPasswordWithLink(ctx: Ctx, input: SetPasswordBody): Promise<{ ok: true; email: string }> {
  const hash = tokenHash(input.token);
  const [link] = await ctx.db
    .select({
      id: passwordLinks.id,
      user_id: passwordLinks.user_id,
      used: sql<boolean>`${passwordLinks.used_at} is not null`,
      expired: sql<boolean>`${passwordLinks.expires_at} <= now()`,
      email: users.email,
      is_active: users.is_active,
    })
    .from(passwordLinks)
    .innerJoin(users, eq(users.id, passwordLinks.user_id))
    .where(eq(passwordLinks.token_hash, hash));
  if (!link) throw badRequest('This set-password link is not valid (or an admin has since made a newer one). Ask an admin for a new link.', 'link_invalid');
  if (link.used) throw linkUsed();
  if (link.expired) throw new AppError(410, 'link_expired', `This set-password link has expired: links work for ${LINK_TTL_HOURS} hours. Ask an admin for a new one.`);
  if (!link.is_active) throw conflict('This account is deactivated, so its password cannot be set. Ask an admin.', 'user_inactive');
  assertPasswordOk(input.password, link.email);
  const password_hash = await hashPassword(input.password);
  return transaction(ctx, async (tx) => {
    // The race: the same link submitted twice at once. Only one UPDATE finds it unused.
    const claimed = await tx.db
      .update(passwordLinks)
      .set({ used_at: sql`now()` })
      .where(and(eq(passwordLinks.id, link.id), isNull(passwordLinks.used_at), sql`${passwordLinks.expires_at} > now()`))
      .returning({ id: passwordLinks.id });
    if (claimed.length === 0) throw linkUsed();
    await tx.db.update(users).set({ password_hash, updated_at: new Date() }).where(eq(users.id, link.user_id));
    const sessions_ended = await endSessions(tx, link.user_id);
    await audit(tx, { action: 'set_password', table: 'users', recordId: link.user_id, after: { password: 'set through a one-time link', link_id: link.id, sessions_ended } });
    return { ok: true as const, email: link.email };
  });
}

const linkUsed = () => new AppError(410, 'link_used', 'This set-password link was already used: it works once. Log in with the password you set, or ask an admin for a new link.');
