import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';

export interface Permission {
  resource: string;
  action: string;
  conditions: unknown;
}

export interface Actor {
  id: string;
  email: string;
  name: string;
  roles: string[];
  permissions: Permission[];
  /** The staff row linked to this user (delivery staff), if any: scopes "own" permissions. */
  staff_id?: string | null;
  /** A confirmed second factor (TOTP): step-up grants need one. */
  totp_enabled?: boolean;
  /** A role of the user requires a second factor and none is confirmed yet: only enrolment is open (api/app.ts). */
  totp_enrolment_required?: boolean;
  /** The session of this request; absent when the actor was loaded without one. */
  session_id?: string | null;
  /** The zones the user works in: scopes grants with conditions {zones: true}. */
  zone_ids?: string[];
}

/** What a service verb needs: the database (or the open transaction), who acts, and the request id. */
export interface Ctx {
  db: Db;
  inTx: boolean;
  actor: Actor | null;
  /** The grant that let this request through (set by permit()): its conditions narrow the rows services reach. */
  grant?: Permission | null;
  requestId: string;
  log: Logger;
  /** The clock of time-based rules (dispute SLAs); tests inject one. Default: the system clock. */
  now?: () => Date;
  /** Inside transaction(): what to do once it commits (metrics count only what was kept). */
  afterCommit?: (() => void)[];
}

/** The time now, by the context's clock. */
export const nowOf = (ctx: Ctx): Date => ctx.now?.() ?? new Date();

/** Runs fn in one transaction, reusing the caller's if there is one (PGlite has one connection: never nest through `db`). */
export async function transaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTx) return fn(ctx);
  const afterCommit: (() => void)[] = [];
  const result = await ctx.db.transaction(async (tx) => fn({ ...ctx, db: tx as unknown as Db, inTx: true, afterCommit }));
  for (const done of afterCommit) done();
  return result;
}

/** Runs `done` when the context's transaction commits (at once outside one, or in one opened without transaction()). */
export function onCommit(ctx: Ctx, done: () => void) {
  if (ctx.inTx && ctx.afterCommit) ctx.afterCommit.push(done);
  else done();
}
