import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { runEvery } from '../../lib/jobs.js';
import { writeOffExpired } from './stock.service.js';

/** How often each API process looks for expired batches (the write-off is daily in effect: a batch expires once). */
export const EXPIRY_WRITE_OFF_EVERY_MS = 15 * 60_000;

/** Writes off expired stock in every API process: batches are claimed FOR UPDATE SKIP LOCKED and an emptied batch is not claimed again. */
export function scheduleExpiryWriteOff(db: Db, logger: Logger, everyMs = EXPIRY_WRITE_OFF_EVERY_MS): () => void {
  return runEvery(db, logger, {
    name: 'expiry-write-off',
    everyMs,
    run: async (ctx, log) => {
      const result = await writeOffExpired(ctx);
      if (result.batches) log.info(result, 'expired stock written off');
    },
  });
}
