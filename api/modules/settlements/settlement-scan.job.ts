import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { scanSettlements } from './settlements.service.js';

/** How often each API process looks for payments captured three days ago and still not settled. */
export const SETTLEMENT_SCAN_EVERY_MS = 60 * 60_000;

/**
 * Runs the "not settled after three days" scan now and then every `everyMs` in this process. Any number of API
 * processes may run it at once: each payment gets one exception (a unique key), so a second run adds nothing.
 */
export function scheduleSettlementScan(db: Db, logger: Logger, everyMs = SETTLEMENT_SCAN_EVERY_MS): () => void {
  const log = logger.child({ job: 'settlement-scan' });
  const ctx: Ctx = { db, inTx: false, actor: null, requestId: 'settlement-scan', log };
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const result = await scanSettlements(ctx);
      if (result.opened || result.closed) log.info(result, 'settlement exceptions scanned');
    } catch (err) {
      log.error({ err }, 'settlement scan failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
