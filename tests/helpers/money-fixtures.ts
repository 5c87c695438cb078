import pino from 'pino';
import { sql } from 'drizzle-orm';
import type { Ctx } from '../../api/lib/context.js';
import { todayIST } from '../../api/lib/dates.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { issueInvoice } from '../../api/modules/invoices/invoices.service.js';
import type { Db } from '../../db/client.js';
import type { invoices, products } from '../../db/schema/index.js';
import { makeOrder, type CustomerFixture } from './chain-fixtures.js';
import { deliveredAt } from './delivered-at.js';

// Invoices for money tests: a one-time order delivered and billed through the service verbs, then put on an invoice
// of its own (a period of one day), so a test gets invoices of exact totals without a month's run.

/** A service context acting as `userId` with every permission (service verbs check only "own" scopes). */
export function serviceCtx(db: Db, userId: string, requestId = 'money-test'): Ctx {
  return {
    db,
    inTx: false,
    actor: { id: userId, email: 'finance@milkrun.test', name: 'Test Finance', roles: ['finance'], permissions: [{ resource: '*', action: '*', conditions: null }] },
    requestId,
    log: pino({ level: 'silent' }),
  };
}

export type Invoice = typeof invoices.$inferSelect;

/**
 * An issued invoice of `quantity` x the product's price (an exempt product: the total is exactly that), for the
 * customer's delivery on `day` (default today; the invoice is dated that day and due after the payment term).
 */
export async function makeInvoice(ctx: Ctx, customer: CustomerFixture, product: typeof products.$inferSelect, opts: { day?: string; quantity?: number } = {}): Promise<Invoice> {
  const day = opts.day ?? todayIST();
  const o = await makeOrder(ctx.db, { customer, delivery_date: day, items: [{ product, quantity: opts.quantity ?? 1 }] });
  await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
  const invoice = await issueInvoice(ctx, { customerId: customer.customer.id, periodStart: day, periodEnd: day, invoiceDate: day });
  if (!invoice) throw new Error('makeInvoice: nothing was billed');
  return invoice;
}

/** A payment written straight into the table (captured unless said), as raw-SQL tests need. */
export async function insertPayment(db: Db, customerId: string, amount: number, extra: { method?: string; reference?: string | null; cheque_status?: string } = {}): Promise<string> {
  const method = extra.method ?? 'cash';
  const result = (await db.execute(sql`
    insert into payments (customer_id, amount_paise, method, reference, received_on, cheque_status)
    values (${customerId}, ${amount}, ${method}::payment_mode, ${extra.reference ?? null}, ${todayIST()}, ${extra.cheque_status ?? (method === 'cheque' ? 'received' : null)}::cheque_status)
    returning id`)) as unknown;
  const rows = Array.isArray(result) ? result : (result as { rows: { id: string }[] }).rows;
  return (rows[0] as { id: string }).id;
}
