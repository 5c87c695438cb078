import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { rowsOf } from '../../lib/sql.js';
import { SendError, type NotificationProvider, type Providers } from './provider.js';
import { render, TemplateError, type Channel, type Language } from './templates.js';

// The outbox's worker (issue 13 item 7). Any API process runs it: a batch of due rows is claimed in one statement
// (FOR UPDATE SKIP LOCKED, so two workers never take the same row) and leased until `locked_until`; each is sent
// outside any transaction, then marked sent, or put back with a later next_attempt_at, or dead after MAX_ATTEMPTS.
// A process killed mid-send leaves its rows 'sending' with a lease that runs out: the next worker claims them again
// (at-least-once towards the provider for exactly that case; the lease is far longer than a send may take).

export const MAX_ATTEMPTS = 6;
/** How long a claimed row is the claimer's: longer than a send may take (SEND_TIMEOUT_MS), so a live worker keeps it. */
export const LEASE_SECONDS = 120;
/** Backoff after the nth failed attempt: 30 s, 1 min, 2 min, 4 min, 8 min (capped at an hour). */
export const backoffSeconds = (attempt: number) => Math.min(3600, 30 * 2 ** Math.max(0, attempt - 1));

interface Claimed {
  id: string;
  channel: Channel;
  recipient: string;
  template: string;
  language: Language;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface DeliveryResult {
  sent: number;
  retried: number;
  dead: number;
}

const at = (now: Date | undefined) => (now ? sql`${now.toISOString()}::timestamptz` : sql`now()`);

/** Claims up to `batch` due rows (pending and due, or 'sending' whose worker's lease ran out), counting the attempt. */
export async function claimDue(db: Db, opts: { batch?: number; now?: Date } = {}): Promise<Claimed[]> {
  const now = at(opts.now);
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      update notifications n set status = 'sending', attempts = n.attempts + 1, last_attempt_at = ${now},
        locked_until = ${now} + make_interval(secs => ${LEASE_SECONDS})
      where n.id in (select id from notifications
                     where status in ('pending', 'sending') and next_attempt_at <= ${now}
                       and (status = 'pending' or locked_until < ${now})
                     order by next_attempt_at limit ${opts.batch ?? 20} for update skip locked)
      returning n.id, n.channel, n.recipient, n.template, n.language, n.payload, n.attempts`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    channel: r.channel as Channel,
    recipient: String(r.recipient),
    template: String(r.template),
    language: r.language as Language,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    attempts: Number(r.attempts),
  }));
}

// Each outcome is written only while the row is still this claim's (status sending, the attempt it claimed): a row
// whose lease ran out and was claimed again belongs to the other worker now.
const mine = (m: Claimed) => sql`id = ${m.id} and status = 'sending' and attempts = ${m.attempts}`;

async function markSent(db: Db, m: Claimed, providerMessageId: string, now: Date | undefined) {
  await db.execute(sql`update notifications set status = 'sent', sent_at = ${at(now)}, locked_until = null, last_error = null, provider_message_id = ${providerMessageId} where ${mine(m)}`);
}

async function markFailed(db: Db, m: Claimed, error: string, permanent: boolean, now: Date | undefined): Promise<'retried' | 'dead'> {
  const message = error.slice(0, 1000) || 'failed';
  if (permanent || m.attempts >= MAX_ATTEMPTS) {
    await db.execute(sql`update notifications set status = 'dead', locked_until = null, last_error = ${message} where ${mine(m)}`);
    return 'dead';
  }
  await db.execute(sql`update notifications set status = 'pending', locked_until = null, last_error = ${message},
    next_attempt_at = ${at(now)} + make_interval(secs => ${backoffSeconds(m.attempts)}) where ${mine(m)}`);
  return 'retried';
}

/** Sends one claimed message through its channel's provider and records the outcome. */
async function deliverOne(db: Db, providers: Providers, m: Claimed, log: Logger, now: Date | undefined): Promise<keyof DeliveryResult> {
  if (m.attempts > MAX_ATTEMPTS) {
    // Claimed again after its worker stopped mid-send this many times: give up rather than loop.
    return markFailed(db, m, `given up after ${MAX_ATTEMPTS} attempts (its worker stopped while sending it)`, true, now);
  }
  let provider: NotificationProvider | undefined;
  try {
    const rendered = render(m.template, m.channel, m.language, m.payload);
    provider = providers[m.channel];
    if (!provider) throw new SendError(`no ${m.channel} provider is configured`, false);
    const { providerMessageId } = await provider.send({ id: m.id, channel: m.channel, recipient: m.recipient, template: m.template, language: m.language, ...rendered });
    await markSent(db, m, providerMessageId, now);
    return 'sent';
  } catch (err) {
    const permanent = err instanceof TemplateError || (err instanceof SendError && err.permanent);
    const text = err instanceof Error ? err.message : String(err);
    const outcome = await markFailed(db, m, text, permanent, now);
    log.warn({ notification: m.id, template: m.template, channel: m.channel, provider: provider?.name, attempt: m.attempts, outcome, err: text }, 'notification not sent');
    return outcome;
  }
}

/**
 * Sends what is due, a batch at a time, until nothing is due (or `maxBatches` ran). Returns what happened. `now`
 * replaces the database's clock (tests step through the backoff with it).
 */
export async function deliverDue(db: Db, providers: Providers, log: Logger, opts: { batch?: number; now?: Date; maxBatches?: number } = {}): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, retried: 0, dead: 0 };
  for (let i = 0; i < (opts.maxBatches ?? 50); i++) {
    const claimed = await claimDue(db, opts);
    if (!claimed.length) break;
    // A batch is sent a few at a time: a slow provider does not hold the others up one by one.
    const outcomes = await Promise.all(claimed.map((m) => deliverOne(db, providers, m, log, opts.now)));
    for (const o of outcomes) result[o] += 1;
    if (claimed.length < (opts.batch ?? 20)) break;
  }
  return result;
}

/** How often each API process looks for due messages when nothing kicked it. */
export const NOTIFICATIONS_EVERY_MS = 2000;

/**
 * Runs the worker every `everyMs` in this process, and at once when kicked (after a replay). Any number of processes
 * may run it: the rows are claimed in the database. Returns stop and kick.
 */
export function scheduleNotifications(db: Db, logger: Logger, providers: Providers, everyMs = NOTIFICATIONS_EVERY_MS): { stop: () => void; kick: () => void } {
  const log = logger.child({ job: 'notifications' });
  // Only so one process does not run two passes at once; which rows each pass takes is the database's business.
  let busy = false;
  let again = false;
  const tick = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const r = await deliverDue(db, providers, log);
        if (r.sent || r.retried || r.dead) log.info(r, 'notifications delivered');
      } while (again);
    } catch (err) {
      log.error({ err }, 'notification worker failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer), kick: () => void tick() };
}
