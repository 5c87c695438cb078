import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, count, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { loginAttempts, sessions, users } from '../../../db/schema/index.js';
import { transaction, type Actor, type Ctx, type Permission } from '../../lib/context.js';
import { AppError, unauthorized } from '../../lib/errors.js';
import type { Secrets } from '../../lib/secrets.js';
import { preparedStatement, rowsOf } from '../../lib/sql.js';
import { secondFactorAtLogin } from './totp.service.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const FAILED_LOGIN_LIMIT = 5;
const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;
// Namespace of the per-email advisory lock (first key of pg_advisory_xact_lock(int, int)): "LOGI".
const LOGIN_LOCK_SPACE = 0x4c4f4749;

// argon2id with OWASP's suggested memory cost: slow to brute-force even with GPUs.
export const hashPassword = (password: string) => hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Claims one of the email's attempts, or refuses: the count and the claim run under a per-email advisory lock,
 * so concurrent logins (from any number of API processes) take the slots one at a time and at most
 * FAILED_LOGIN_LIMIT passwords are ever checked in a window. The claim is written as a failure and turned into
 * a success only when the password is right, so an attempt in flight already counts.
 */
async function claimAttempt(ctx: Ctx, email: string, ip: string): Promise<string> {
  return transaction(ctx, async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(${LOGIN_LOCK_SPACE}, hashtext(${email}))`);
    const [{ failed }] = await tx.db
      .select({ failed: count() })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, false), gt(loginAttempts.created_at, sql`now() - ${`${FAILED_LOGIN_WINDOW_MS} milliseconds`}::interval`)));
    if (Number(failed) >= FAILED_LOGIN_LIMIT) {
      throw new AppError(429, 'too_many_attempts', 'Too many failed logins for this email. Wait 15 minutes and try again.');
    }
    const [claim] = await tx.db.insert(loginAttempts).values({ email, ip, succeeded: false }).returning({ id: loginAttempts.id });
    return claim.id;
  });
}

// An unknown (or deactivated) email is checked against this hash, so it costs the same argon2 time as a wrong password
// and the answer's timing does not tell which emails have accounts. Made once, lazily.
let dummyHash: Promise<string> | undefined;
const dummyPasswordHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export interface LoginInput {
  email: string;
  password: string;
  /** The second factor, when the user has one: a code of the authenticator app, or one of the recovery codes. */
  totp?: string;
  recovery_code?: string;
  ip: string;
  user_agent: string;
}

export async function login(ctx: Ctx, secrets: Secrets, input: LoginInput): Promise<{ token: string; actor: Actor }> {
  const email = input.email.trim().toLowerCase();
  const claimId = await claimAttempt(ctx, email, input.ip);
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
  const known = Boolean(user && user.is_active);
  const matches = await verify(known ? user.password_hash : await dummyPasswordHash(), input.password);
  if (!known || !matches) throw unauthorized('Wrong email or password.');
  if (user.totp_confirmed_at) {
    const factor = await secondFactorAtLogin(ctx, secrets, user.id, input);
    if (factor === 'missing') {
      // The password was right and the code is simply asked for: no failed attempt (every two-step login starts so).
      // A wrong code keeps its claim as a failure, so codes are tried at most 5 times in 15 minutes like passwords.
      await ctx.db.delete(loginAttempts).where(eq(loginAttempts.id, claimId));
      throw new AppError(401, 'totp_required', 'Enter the 6-digit code from your authenticator app.');
    }
    if (factor === 'wrong') {
      throw new AppError(401, 'totp_invalid', input.totp ? 'That code is wrong or was already used. Enter the next code your app shows.' : 'That recovery code is wrong or was already used.');
    }
  }
  await ctx.db.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, claimId));
  const token = randomBytes(32).toString('base64url');
  await ctx.db.insert(sessions).values({
    token_hash: tokenHash(token),
    user_id: user.id,
    expires_at: new Date(Date.now() + SESSION_TTL_MS),
    ip: input.ip.slice(0, 100),
    user_agent: input.user_agent.slice(0, 500),
  });
  // Expired sessions go as people log in: no scheduler, only the few rows expired since the last login, and any
  // number of API processes may run it at once (a row another one deleted is simply not there).
  await ctx.db.delete(sessions).where(lt(sessions.expires_at, sql`now()`));
  const actor = await loadActor(ctx.db, user.id);
  return { token, actor: actor! };
}

export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (token) await ctx.db.delete(sessions).where(eq(sessions.token_hash, tokenHash(token)));
}

/**
 * The actor in ONE statement: user, staff link, roles (by name), the roles' permissions, the user's zones and the
 * second factor's state. Every API request resolves its session through this, so it is one round trip instead of four
 * (measured by npm run bench), prepared (PostgreSQL plans it once per connection) and rendered to text once.
 * `from` is the FROM/WHERE that picks the user row as `u`; `session` selects session_id and session_stale.
 * The permissions come as a key, the user's roles with their permissions_version (migration 0063: a new value on any
 * change), and as JSON only when the key is not among `known`, the keys this process keeps (building 70-odd grants as
 * JSON was most of the lookup's time). So the database decides, on every request, which grants are in force.
 */
const actorStatement = (name: string, from: SQL, session: SQL, where: SQL) =>
  preparedStatement(
    name,
    () => sql`
    select u.id, u.email, u.name, st.id as staff_id, r.roles, r.permissions_key,
           case when r.permissions_key = any(string_to_array(${sql.placeholder('known')}::text, ' ')) then null
                else coalesce((select json_agg(json_build_object('resource', p.resource, 'action', p.action, 'conditions', p.conditions))
                               from permissions p where p.role_id in (select ur.role_id from user_roles ur where ur.user_id = u.id)), '[]'::json) end as permissions,
           coalesce((select json_agg(uz.zone_id order by uz.zone_id) from user_zones uz where uz.user_id = u.id), '[]'::json) as zone_ids,
           u.totp_confirmed_at is not null as totp_enabled,
           u.totp_confirmed_at is null and r.requires_totp as totp_enrolment_required,
           ${session}
    ${from}
    cross join lateral (
      select coalesce(json_agg(r.name order by r.name), '[]'::json) as roles,
             coalesce(string_agg(r.id::text || ':' || r.permissions_version::text, ',' order by r.id), '') as permissions_key,
             coalesce(bool_or(r.requires_totp), false) as requires_totp
      from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id) r
    ${where}`,
  );

const sessionActor = actorStatement(
  'session_actor',
  sql`from sessions s join users u on u.id = s.user_id left join staff st on st.user_id = u.id`,
  sql`s.id as session_id, s.last_seen_at < now() - interval '1 minute' as session_stale`,
  sql`where s.token_hash = ${sql.placeholder('token_hash')} and s.expires_at > ${sql.placeholder('now')}::timestamptz and u.is_active`,
);
const userActor = actorStatement(
  'user_actor',
  sql`from users u left join staff st on st.user_id = u.id`,
  sql`null::uuid as session_id, false as session_stale`,
  sql`where u.id = ${sql.placeholder('user_id')}::uuid`,
);
const touchSession = preparedStatement(
  'session_touch',
  () => sql`update sessions set last_seen_at = now() where id = ${sql.placeholder('id')}::uuid and last_seen_at < now() - interval '1 minute'`,
);

/**
 * Permission sets this process has been sent, by key. Not state that matters: the key comes from the database on every
 * request, and a key names one set for ever (its versions never repeat). Frozen, as every request shares them.
 */
const permissionSets = new Map<string, readonly Permission[]>();
const PERMISSION_SETS_KEPT = 32;
let knownKeys = '';

// PGlite and postgres.js both parse json; a driver that does not would hand us text.
const json = <T>(v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

/** The set sent with the row (kept for next time), or the one kept under its key; undefined if it was dropped meanwhile. */
function permissionsFor(key: string, sent: unknown): readonly Permission[] | undefined {
  if (sent == null) return permissionSets.get(key);
  const set = Object.freeze(json<Permission[]>(sent).map((p) => Object.freeze(p)));
  // A bounded cache: many role combinations (or many permission edits) start it again rather than grow it.
  if (permissionSets.size >= PERMISSION_SETS_KEPT) permissionSets.clear();
  permissionSets.set(key, set);
  knownKeys = [...permissionSets.keys()].join(' ');
  return set;
}

/** Runs a lookup; when its key was known as it left but the set was dropped before it came back, once more with none. */
async function lookUp(statement: ReturnType<typeof actorStatement>, db: Db, values: Record<string, unknown>): Promise<(Actor & { session_stale: boolean }) | null> {
  let found = actorOf(await statement(db, { ...values, known: knownKeys }));
  if (found && !found.permissions) found = actorOf(await statement(db, { ...values, known: '' }));
  if (!found) return null;
  const { permissions } = found;
  // With no key known the set is always sent.
  if (!permissions) throw new Error('the session lookup sent no permissions with no key known');
  return { ...found, permissions };
}

function actorOf(result: unknown): (Omit<Actor, 'permissions'> & { permissions: Permission[] | undefined; session_stale: boolean }) | null {
  const [row] = rowsOf<Record<string, unknown>>(result);
  if (!row) return null;
  return {
    id: row.id as string,
    email: row.email as string,
    name: row.name as string,
    staff_id: (row.staff_id as string | null) ?? null,
    roles: json<string[]>(row.roles),
    permissions: permissionsFor(row.permissions_key as string, row.permissions) as Permission[] | undefined,
    totp_enabled: row.totp_enabled === true,
    totp_enrolment_required: row.totp_enrolment_required === true,
    session_id: (row.session_id as string | null) ?? null,
    session_stale: row.session_stale === true,
    zone_ids: json<string[]>(row.zone_ids),
  };
}

/**
 * The user behind a session cookie, with roles and permissions, or null when the session is unknown or expired. The
 * session's last_seen_at is written at most once a minute (the read says when it is due), so requests cost no write.
 */
export async function actorForToken(db: Db, token: string): Promise<Actor | null> {
  const found = await lookUp(sessionActor, db, { token_hash: tokenHash(token), now: new Date().toISOString() });
  if (!found) return null;
  const { session_stale, ...actor } = found;
  // Several requests (or processes) may see it due at once: the condition lets one write it; the rest change nothing.
  if (session_stale) await touchSession(db, { id: actor.session_id });
  return actor;
}

export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const found = await lookUp(userActor, db, { user_id: userId });
  if (!found) return null;
  const { session_stale: _, ...actor } = found;
  return actor;
}
