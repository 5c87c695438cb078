import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { runEvery } from '../../lib/jobs.js';
import { closeStaleResolved, escalateBreaches } from './disputes.service.js';

/** How often each API process looks for disputes past their SLA (and resolved ones a week old, to close). */
export const SLA_ESCALATION_EVERY_MS = 60_000;

/**
 * SLA escalation in every API process: disputes are claimed in the database (FOR UPDATE SKIP LOCKED) and escalated
 * once (escalated_at); resolved disputes nobody answered for a week close by themselves.
 */
export function scheduleSlaEscalation(db: Db, logger: Logger, everyMs = SLA_ESCALATION_EVERY_MS): () => void {
  return runEvery(db, logger, {
    name: 'sla-escalation',
    everyMs,
    run: async (ctx, log) => {
      const result = await escalateBreaches(ctx);
      if (result.escalated) log.info(result, 'disputes escalated past their SLA');
      const closing = await closeStaleResolved(ctx);
      if (closing.closed) log.info(closing, 'resolved disputes closed after a week');
    },
  });
}
