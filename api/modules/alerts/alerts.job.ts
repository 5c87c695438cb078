import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { checkAlerts } from './alerts.service.js';
import { flushRequestStats } from './request-stats.js';

/** How often each process checks the alert rules, and writes its request counts to request_stats. */
export const ALERT_CHECK_EVERY_MS = 60_000;
export const REQUEST_STATS_FLUSH_EVERY_MS = 15_000;

/**
 * Flushes this process's request counts and checks the alert rules, in every API process: the checks take an advisory
 * lock (one process at a time; the others skip that minute) and fire each incident once. `startDataHealth: false` (a
 * process with MILKRUN_JOBS=0) leaves starting the data-health run to a process that runs the jobs. Returns a stop function.
 */
export function scheduleAlerts(db: Db, logger: Logger, opts: { checkEveryMs?: number; flushEveryMs?: number; startDataHealth?: boolean } = {}): () => void {
  const log = logger.child({ job: 'alerts' });
  const ctx: Ctx = { db, inTx: false, actor: null, requestId: 'alert-check', log };
  let busy = false;
  const check = async () => {
    if (busy) return;
    busy = true;
    try {
      await flushRequestStats(db);
      const { fired, cleared } = await checkAlerts(ctx, { startDataHealth: opts.startDataHealth });
      if (fired.length || cleared.length) log.warn({ fired, cleared }, 'alerts fired or cleared');
    } catch (err) {
      log.error({ err }, 'alert check failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };
  const flush = () => flushRequestStats(db).catch((err: unknown) => log.error({ err }, 'request statistics not written; kept for the next flush'));
  const checkTimer = setInterval(() => void check(), opts.checkEveryMs ?? ALERT_CHECK_EVERY_MS);
  const flushTimer = setInterval(() => void flush(), opts.flushEveryMs ?? REQUEST_STATS_FLUSH_EVERY_MS);
  checkTimer.unref();
  flushTimer.unref();
  return () => {
    clearInterval(checkTimer);
    clearInterval(flushTimer);
    void flush();
  };
}
