import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { Ctx } from './context.js';

/**
 * Runs a background job now and then every `everyMs` in this process; returns a stop function. Any number of API
 * processes run the same job: each job claims its rows in the database (FOR UPDATE SKIP LOCKED, unique keys), so
 * correctness is the database's. The busy flag only keeps one process from starting a run while its last one is
 * still going; a failed run is logged and tried again at the next tick.
 */
export function runEvery(db: Db, logger: Logger, job: { name: string; everyMs: number; run: (ctx: Ctx, log: Logger) => Promise<void> }): () => void {
  const log = logger.child({ job: job.name });
  const ctx: Ctx = { db, inTx: false, actor: null, requestId: job.name, log };
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await job.run(ctx, log);
    } catch (err) {
      log.error({ err }, `${job.name} failed; it runs again at the next tick`);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), job.everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
