import type { Logger } from 'pino';
import type { Db } from '../../../db/client.js';
import { runEvery } from '../../lib/jobs.js';
import { expireWalletLots } from './wallets.service.js';

/** How often each API process looks for lots past their expiry. */
export const WALLET_EXPIRY_EVERY_MS = 10 * 60_000;

/** Expires wallet lots past their date, in every API process: lots are claimed FOR UPDATE SKIP LOCKED, each expires once. */
export function scheduleWalletExpiry(db: Db, logger: Logger, everyMs = WALLET_EXPIRY_EVERY_MS): () => void {
  return runEvery(db, logger, {
    name: 'wallet-expiry',
    everyMs,
    run: async (ctx, log) => {
      const result = await expireWalletLots(ctx);
      if (result.expired) log.info(result, 'wallet lots expired');
    },
  });
}
