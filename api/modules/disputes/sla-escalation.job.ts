import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { closeStaleResolved, escalateBreaches } from './disputes.service.js';

/** How often each API process looks for disputes past their SLA (and resolved ones a week old, to close). */
export const SLA_ESCALATION_EVERY_MS = 60_000;

/**
 * Runs the SLA escalation now and then every `everyMs` in this process. Any number of API processes may run it at once:
 * disputes are claimed in the database (FOR UPDATE SKIP LOCKED) and escalated once (escalated_at). Returns a stop function.
 */
export function scheduleSlaEscalation(db: Db, logger: Logger, everyMs = SLA_ESCALATION_EVERY_MS): () => void {
  const log = logger.child({ job: 'sla-escalation' });
  const ctx: Ctx = { db, inTx: false, actor: null, requestId: 'sla-escalation', log };
  // Only so one process does not start a run while its previous one is still going; correctness is the database's.
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const result = await escalateBreaches(ctx);
      if (result.escalated) log.info(result, 'disputes escalated past their SLA');
      // Resolved disputes nobody answered for a week close by themselves.
      const closing = await closeStaleResolved(ctx);
      if (closing.closed) log.info(closing, 'resolved disputes closed after a week');
    } catch (err) {
      log.error({ err }, 'SLA escalation failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
