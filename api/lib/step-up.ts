import type { Context } from 'hono';
import type { Permission } from './context.js';
import { AppError } from './errors.js';
import type { AppEnv } from './http.js';
import { consumeTotpCode, limitedCodeCheck } from './totp.js';

/** A grant marked `step_up: true` in its conditions needs a fresh second-factor code on every request it allows. */
export const needsStepUp = (permission: Permission | undefined) => (permission?.conditions as { step_up?: unknown } | null)?.step_up === true;

const stepUpRequired = (message: string) => new AppError(403, 'step_up_required', message);

/** The code a request carries: the X-TOTP header, or `totp` in its JSON body (taken out of the body, see below). */
async function codeOf(c: Context<AppEnv>): Promise<string | undefined> {
  const header = c.req.header('x-totp');
  if (header) return header.trim();
  if (!/^application\/([\w.-]+\+)?json/i.test(c.req.header('content-type') ?? '')) return undefined;
  const body: unknown = await c.req.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('totp' in body)) return undefined;
  const { totp, ...rest } = body as { totp: unknown };
  // The code belongs to the step-up, not to the route: the route's validator reads the body without it, so a strict
  // schema does not refuse an unknown field (Hono's json() parses the cached text; the cache holds promises at run
  // time, though its type names the values).
  c.req.bodyCache = { text: Promise.resolve(JSON.stringify(rest)) as unknown as string };
  return typeof totp === 'string' ? totp.trim() : typeof totp === 'number' ? String(totp).padStart(6, '0') : '';
}

/**
 * Refuses the request (403 step_up_required) unless it carries a current code of the actor's authenticator, and uses
 * that code up: a code authorises one request, and a replayed one is refused. Wrong codes count towards the limit of
 * api/lib/totp.ts (429 after 5 in 15 minutes).
 */
export async function requireStepUp(c: Context<AppEnv>): Promise<void> {
  const ctx = c.get('ctx');
  if (!ctx.actor) return;
  if (!ctx.actor.totp_enabled) throw stepUpRequired('This action needs a code from an authenticator app: enrol two-factor sign-in on your profile first.');
  const code = await codeOf(c);
  if (!code) throw stepUpRequired('This action needs a fresh code from your authenticator app (send it as totp or in the X-TOTP header).');
  const userId = ctx.actor.id;
  const right = await limitedCodeCheck(ctx, userId, () => consumeTotpCode(ctx.db, c.get('secrets'), userId, code));
  if (!right) throw stepUpRequired('That code is wrong or was already used. Enter the next code your authenticator app shows.');
}
