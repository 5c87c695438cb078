import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { notFound } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';

export interface LockedCustomer {
  id: string;
  name: string;
  zone_id: string;
}

/**
 * Every verb that moves a customer's money (a payment, a bounce, wallet credit spent or given, a void, a reissue)
 * takes this lock first, so two of them for one customer queue here instead of locking invoices, lots and balances
 * in different orders (a deadlock). FOR NO KEY UPDATE leaves the foreign-key checks of other writes alone
 * (a delivery billed to the customer meanwhile does not wait). Must run inside the verb's transaction.
 */
export async function lockCustomerMoney(ctx: Ctx, customerId: string): Promise<LockedCustomer> {
  if (!ctx.inTx) throw new Error('lockCustomerMoney must run inside the transaction it protects');
  const [row] = rowsOf<LockedCustomer>(await ctx.db.execute(sql`select id, name, zone_id from customers where id = ${customerId} for no key update`));
  if (!row) throw notFound('Customer');
  return row;
}

/** The same lock for many customers at once, in id order (two batches never wait on each other crosswise). */
export async function lockCustomersMoney(ctx: Ctx, customerIds: string[]): Promise<void> {
  if (!ctx.inTx) throw new Error('lockCustomersMoney must run inside the transaction it protects');
  if (!customerIds.length) return;
  await ctx.db.execute(sql`select id from customers where id = any(${`{${customerIds.join(',')}}`}::uuid[]) order by id for no key update`);
}
