import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { runEvery } from '../../lib/jobs.js';
import { scanSettlements } from './settlements.service.js';

/** How often each API process looks for payments captured three days ago and still not settled. */
export const SETTLEMENT_SCAN_EVERY_MS = 60 * 60_000;

/** The "not settled after three days" scan, in every API process: each payment gets one exception (a unique key). */
export function scheduleSettlementScan(db: Db, logger: Logger, everyMs = SETTLEMENT_SCAN_EVERY_MS): () => void {
  return runEvery(db, logger, {
    name: 'settlement-scan',
    everyMs,
    run: async (ctx, log) => {
      const result = await scanSettlements(ctx);
      if (result.opened || result.closed) log.info(result, 'settlement exceptions scanned');
    },
  });
}
