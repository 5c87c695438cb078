import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { loginAttempts, permissions, roles, sessions, staff, userRoles, users } from '../../../db/schema/index.js';
import type { Actor, Ctx } from '../../lib/context.js';
import { AppError, unauthorized } from '../../lib/errors.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const FAILED_LOGIN_LIMIT = 5;
const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

// argon2id with OWASP's suggested memory cost: slow to brute-force even with GPUs.
export const hashPassword = (password: string) => hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function login(ctx: Ctx, input: { email: string; password: string; ip: string }): Promise<{ token: string; actor: Actor }> {
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - FAILED_LOGIN_WINDOW_MS);
  const [{ failed }] = await ctx.db
    .select({ failed: count() })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, false), gt(loginAttempts.created_at, since)));
  if (Number(failed) >= FAILED_LOGIN_LIMIT) {
    throw new AppError(429, 'too_many_attempts', 'Too many failed logins for this email. Wait 15 minutes and try again.');
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
  const ok = user && user.is_active ? await verify(user.password_hash, input.password) : false;
  await ctx.db.insert(loginAttempts).values({ email, ip: input.ip, succeeded: ok });
  if (!ok || !user) throw unauthorized('Wrong email or password.');
  const token = randomBytes(32).toString('base64url');
  await ctx.db.insert(sessions).values({ token_hash: tokenHash(token), user_id: user.id, expires_at: new Date(Date.now() + SESSION_TTL_MS) });
  const actor = await loadActor(ctx.db, user.id);
  return { token, actor: actor! };
}

export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (token) await ctx.db.delete(sessions).where(eq(sessions.token_hash, tokenHash(token)));
}

/** The user behind a session cookie, with roles and permissions, or null when the session is unknown or expired. */
export async function actorForToken(db: Db, token: string): Promise<Actor | null> {
  const [row] = await db
    .select({ user_id: sessions.user_id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.user_id))
    .where(and(eq(sessions.token_hash, tokenHash(token)), gt(sessions.expires_at, new Date()), eq(users.is_active, true)));
  return row ? loadActor(db, row.user_id) : null;
}

export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, staff_id: staff.id })
    .from(users)
    .leftJoin(staff, eq(staff.user_id, users.id))
    .where(eq(users.id, userId));
  if (!user) return null;
  const roleRows = await db
    .select({ id: roles.id, name: roles.name })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.role_id))
    .where(eq(userRoles.user_id, userId))
    .orderBy(asc(roles.name));
  const perms = roleRows.length
    ? await db
        .select({ resource: permissions.resource, action: permissions.action, conditions: permissions.conditions })
        .from(permissions)
        .where(inArray(permissions.role_id, roleRows.map((r) => r.id)))
    : [];
  return { ...user, roles: roleRows.map((r) => r.name), permissions: perms };
}
