import { and, count, eq, gt, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../../db/client.js';
import { totpAttempts, users } from '../../db/schema/index.js';
import { transaction, type Ctx } from './context.js';
import { AppError } from './errors.js';
import { openTotpSecret, type Secrets } from './secrets.js';

// TOTP as authenticator apps expect it (RFC 6238): base32 secret, SHA-1, 6 digits, 30-second steps.
export const TOTP_ISSUER = 'Milkrun';
const PERIOD = 30;
/** Steps either side of now that still count: a phone clock 30 s off, or a code typed as it changed. */
const WINDOW = 1;

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export const totpOf = (secret: string, label = '') =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

/** The 30-second step a code belongs to (now or a neighbour), or null when it is no code of this secret. */
export function stepOfCode(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : totp.counter({ timestamp: now }) + delta;
}

/**
 * Checks a code of a confirmed enrolment and uses it up. Replay and double use are settled by one statement: the
 * step is taken only when it is later than the last accepted one, so of two requests with the same code (or with an
 * older one) exactly one wins, whichever API process each reached.
 */
export async function consumeTotpCode(db: Db, secrets: Secrets, userId: string, code: string): Promise<boolean> {
  const [user] = await db.select({ sealed: users.totp_secret, confirmed: users.totp_confirmed_at }).from(users).where(eq(users.id, userId));
  if (!user?.sealed || !user.confirmed) return false;
  const step = stepOfCode(openTotpSecret(secrets, userId, user.sealed), code);
  if (step === null) return false;
  const taken = await db
    .update(users)
    // updated_at stays: using a code is no change to the user.
    .set({ totp_last_step: step, updated_at: sql`${users.updated_at}` })
    .where(and(eq(users.id, userId), isNotNull(users.totp_confirmed_at), or(isNull(users.totp_last_step), lt(users.totp_last_step, step))))
    .returning({ id: users.id });
  return taken.length === 1;
}

const ATTEMPT_LIMIT = 5;
const ATTEMPT_WINDOW = '15 minutes';
// Namespace of the per-user advisory lock (first key of pg_advisory_xact_lock(int, int)): "TOTP".
const TOTP_LOCK_SPACE = 0x544f5450;

/**
 * Runs one check of a code sent by a signed-in user (step-up, confirm, disable) within the limit of 5 wrong codes in
 * 15 minutes. As with logins, the attempt is claimed under a per-user advisory lock before the check and the claim
 * is deleted when the code was right, so concurrent guesses take the slots one at a time and never exceed the limit.
 */
export async function limitedCodeCheck(ctx: Ctx, userId: string, check: () => Promise<boolean>): Promise<boolean> {
  const claimId = await transaction(ctx, async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(${TOTP_LOCK_SPACE}, hashtext(${userId}))`);
    // The user's claims that no longer count go here, so the table holds at most a window's worth.
    await tx.db.delete(totpAttempts).where(and(eq(totpAttempts.user_id, userId), lt(totpAttempts.created_at, sql`now() - ${ATTEMPT_WINDOW}::interval`)));
    const [{ failed }] = await tx.db
      .select({ failed: count() })
      .from(totpAttempts)
      .where(and(eq(totpAttempts.user_id, userId), gt(totpAttempts.created_at, sql`now() - ${ATTEMPT_WINDOW}::interval`)));
    if (Number(failed) >= ATTEMPT_LIMIT) {
      throw new AppError(429, 'too_many_attempts', 'Too many wrong codes. Wait 15 minutes and try again.');
    }
    const [claim] = await tx.db.insert(totpAttempts).values({ user_id: userId }).returning({ id: totpAttempts.id });
    return claim.id;
  });
  const right = await check();
  if (right) await ctx.db.delete(totpAttempts).where(eq(totpAttempts.id, claimId));
  return right;
}
