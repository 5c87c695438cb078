import { and, count, eq, isNull } from 'drizzle-orm';
import { totpRecoveryCodes, users } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { AppError, conflict, unauthorized } from '../../lib/errors.js';
import { newRecoveryCode, openTotpSecret, recoveryCodeHash, sealTotpSecret, type Secrets } from '../../lib/secrets.js';
import { consumeTotpCode, limitedCodeCheck, newTotpSecret, stepOfCode, totpOf } from '../../lib/totp.js';

export const RECOVERY_CODE_COUNT = 10;

const wrongCode = () => new AppError(422, 'totp_invalid', 'That code is wrong or was already used. Enter the code your authenticator app shows now.');

/** What the audit log says of a user's second factor: states and counts, never the secret or a code's hash. */
async function factorState(ctx: Ctx, userId: string) {
  const [user] = await ctx.db
    .select({ sealed: users.totp_secret, confirmed: users.totp_confirmed_at })
    .from(users)
    .where(eq(users.id, userId))
    .for('update');
  if (!user) throw unauthorized();
  const [{ left }] = await ctx.db.select({ left: count() }).from(totpRecoveryCodes).where(eq(totpRecoveryCodes.user_id, userId));
  return {
    user,
    state: { totp_enabled: user.confirmed !== null, totp_pending: user.sealed !== null && user.confirmed === null, recovery_codes_left: Number(left) },
  };
}

/**
 * Starts (or restarts) the signed-in user's enrolment: a new secret, sealed with APP_SECRET, and ten new recovery
 * codes, stored as HMACs. Both are shown this once; nothing is in force until a first code confirms it. A user with
 * a confirmed second factor disables it first (with a code), so a stolen session cannot swap in its own.
 */
export async function enrolTotp(ctx: Ctx, secrets: Secrets): Promise<{ secret: string; otpauth_url: string; recovery_codes: string[] }> {
  const actor = ctx.actor;
  if (!actor) throw unauthorized();
  return transaction(ctx, async (tx) => {
    const before = await factorState(tx, actor.id);
    if (before.state.totp_enabled) throw conflict('Two-factor sign-in is already on. Turn it off first (with a code) to enrol another device.', 'totp_already_enabled');
    const secret = newTotpSecret();
    const recovery_codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await tx.db.update(users).set({ totp_secret: sealTotpSecret(secrets, actor.id, secret), totp_last_step: null }).where(eq(users.id, actor.id));
    await tx.db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.user_id, actor.id));
    await tx.db.insert(totpRecoveryCodes).values(recovery_codes.map((code) => ({ user_id: actor.id, code_hash: recoveryCodeHash(secrets, code) })));
    const after = await factorState(tx, actor.id);
    await audit(tx, { action: 'totp_enrol', table: 'users', recordId: actor.id, before: before.state, after: after.state });
    return { secret, otpauth_url: totpOf(secret, actor.email).toString(), recovery_codes };
  });
}

/** Confirms the pending enrolment with a first code, which is used up (the same code cannot then sign in). */
export async function confirmTotp(ctx: Ctx, secrets: Secrets, code: string): Promise<{ totp_enabled: true }> {
  const actor = ctx.actor;
  if (!actor) throw unauthorized();
  const right = await limitedCodeCheck(ctx, actor.id, () =>
    transaction(ctx, async (tx) => {
      // Locked: of two confirmations at once, the second waits and then finds the enrolment confirmed (409).
      const before = await factorState(tx, actor.id);
      if (before.state.totp_enabled) throw conflict('Two-factor sign-in is already on.', 'totp_already_enabled');
      if (!before.user.sealed) throw conflict('There is no enrolment to confirm: start it first.', 'totp_not_enrolled');
      const step = stepOfCode(openTotpSecret(secrets, actor.id, before.user.sealed), code);
      if (step === null) return false;
      await tx.db
        .update(users)
        .set({ totp_confirmed_at: new Date(), totp_last_step: step })
        .where(and(eq(users.id, actor.id), isNull(users.totp_confirmed_at)));
      const after = await factorState(tx, actor.id);
      await audit(tx, { action: 'totp_confirm', table: 'users', recordId: actor.id, before: before.state, after: after.state });
      return true;
    }),
  );
  if (!right) throw wrongCode();
  return { totp_enabled: true };
}

/** Uses up one recovery code of the user: deleted in the same statement that finds it, so it works exactly once. */
async function useRecoveryCode(ctx: Ctx, secrets: Secrets, userId: string, code: string): Promise<boolean> {
  return transaction(ctx, async (tx) => {
    const used = await tx.db
      .delete(totpRecoveryCodes)
      .where(and(eq(totpRecoveryCodes.user_id, userId), eq(totpRecoveryCodes.code_hash, recoveryCodeHash(secrets, code))))
      .returning({ id: totpRecoveryCodes.id });
    if (used.length === 0) return false;
    const [{ left }] = await tx.db.select({ left: count() }).from(totpRecoveryCodes).where(eq(totpRecoveryCodes.user_id, userId));
    await audit(tx, { action: 'totp_recovery_code_used', table: 'users', recordId: userId, before: { recovery_codes_left: Number(left) + 1 }, after: { recovery_codes_left: Number(left) } });
    return true;
  });
}

/** Turns the second factor off, with a current code or a recovery code (the phone may be lost); the codes go too. */
export async function disableTotp(ctx: Ctx, secrets: Secrets, input: { code?: string; recovery_code?: string }): Promise<{ totp_enabled: false }> {
  const actor = ctx.actor;
  if (!actor) throw unauthorized();
  const [user] = await ctx.db.select({ confirmed: users.totp_confirmed_at }).from(users).where(eq(users.id, actor.id));
  if (!user?.confirmed) throw conflict('Two-factor sign-in is not on.', 'totp_not_enabled');
  const right = await limitedCodeCheck(ctx, actor.id, () =>
    input.code ? consumeTotpCode(ctx.db, secrets, actor.id, input.code) : useRecoveryCode(ctx, secrets, actor.id, input.recovery_code ?? ''),
  );
  if (!right) throw wrongCode();
  await transaction(ctx, async (tx) => {
    const before = await factorState(tx, actor.id);
    await tx.db.update(users).set({ totp_secret: null, totp_confirmed_at: null, totp_last_step: null }).where(eq(users.id, actor.id));
    await tx.db.delete(totpRecoveryCodes).where(eq(totpRecoveryCodes.user_id, actor.id));
    const after = await factorState(tx, actor.id);
    await audit(tx, { action: 'totp_disable', table: 'users', recordId: actor.id, before: before.state, after: after.state });
  });
  return { totp_enabled: false };
}

/** At login, for a user with a confirmed second factor: whether the request carries a right code (used up if so). */
export async function secondFactorAtLogin(
  ctx: Ctx,
  secrets: Secrets,
  userId: string,
  input: { totp?: string; recovery_code?: string },
): Promise<'missing' | 'wrong' | 'ok'> {
  if (!input.totp && !input.recovery_code) return 'missing';
  // Nobody is signed in yet: the audit row of a used recovery code names the user signing in.
  const as: Ctx = { ...ctx, actor: ctx.actor ?? { id: userId, email: '', name: '', roles: [], permissions: [] } };
  const right = input.totp ? await consumeTotpCode(ctx.db, secrets, userId, input.totp) : await useRecoveryCode(as, secrets, userId, input.recovery_code!);
  return right ? 'ok' : 'wrong';
}
