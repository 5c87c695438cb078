import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import type { Ctx } from '../../lib/context.js';
import { expireWalletLots } from './wallets.service.js';

/** How often each API process looks for lots past their expiry. */
export const WALLET_EXPIRY_EVERY_MS = 10 * 60_000;

/**
 * Runs the wallet expiry job now and then every `everyMs` in this process. Any number of API processes may run it at
 * once: the lots are claimed in the database (FOR UPDATE SKIP LOCKED), so each expires once. Returns a stop function.
 */
export function scheduleWalletExpiry(db: Db, logger: Logger, everyMs = WALLET_EXPIRY_EVERY_MS): () => void {
  const log = logger.child({ job: 'wallet-expiry' });
  const ctx: Ctx = { db, inTx: false, actor: null, requestId: 'wallet-expiry', log };
  // Only so one process does not start a run while its previous one is still going; correctness is the database's.
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const result = await expireWalletLots(ctx);
      if (result.expired) log.info(result, 'wallet lots expired');
    } catch (err) {
      log.error({ err }, 'wallet expiry job failed; it runs again at the next tick');
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
