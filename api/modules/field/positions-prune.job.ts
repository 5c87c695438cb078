import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { runEvery } from '../../lib/jobs.js';
import { prunePositions } from './positions.service.js';

/** How often each API process deletes staff positions past their retention. */
export const POSITIONS_PRUNE_EVERY_MS = 60 * 60_000;

/**
 * Keeps staff_positions bounded: every hour, positions older than `retentionDays` are deleted in batches (claimed with
 * FOR UPDATE SKIP LOCKED, so any number of API processes may run it at once). No partitions: at one row per 10 s per
 * van, a month is a few million rows, which a plain indexed delete keeps up with.
 */
export function schedulePositionsPrune(db: Db, logger: Logger, retentionDays: number, everyMs = POSITIONS_PRUNE_EVERY_MS): () => void {
  return runEvery(db, logger, {
    name: 'positions-prune',
    everyMs,
    run: async (ctx, log) => {
      const deleted = await prunePositions(ctx, retentionDays);
      if (deleted) log.info({ deleted, retentionDays }, 'old staff positions deleted');
    },
  });
}
