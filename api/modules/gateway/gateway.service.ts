import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { gatewayEvents, gatewayPayments } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, listRows, type ListPage, type Resource, type Row } from '../../lib/crud.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import type { ListQuery } from '../../lib/rest.js';
import { rowsOf } from '../../lib/sql.js';
import { recordIfCaptured } from './webhook.service.js';

// Gateway payments as finance sees them: every payment the gateway told us of, matched to a customer or waiting to be
// assigned, with the payment it was recorded as.

export const gatewayPaymentColumns = {
  customer_name: sql<string | null>`(select c.name from customers c where c.id = gateway_payments.customer_id)`,
  assigned_by_name: sql<string | null>`(select u.name from users u where u.id = gateway_payments.assigned_by)`,
  matched: sql<boolean>`(gateway_payments.customer_id is not null)`,
  // Once a settlement file names it: the bank transfer (UTR) that paid it out, and when (settlement_lines_payment_key).
  utr: sql<string | null>`(select l.utr from settlement_lines l where l.payment_ref = gateway_payments.gateway_payment_id)`,
  settlement_id: sql<string | null>`(select l.settlement_id from settlement_lines l where l.payment_ref = gateway_payments.gateway_payment_id)`,
  settled_at: sql<string | null>`(select to_char(l.settled_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from settlement_lines l where l.payment_ref = gateway_payments.gateway_payment_id)`,
};

export const gatewayPaymentResource: Resource = {
  name: 'gateway-payments',
  label: 'Gateway payment',
  table: gatewayPayments,
  selection: {
    ...getTableColumns(gatewayPayments),
    ...Object.fromEntries(Object.entries(gatewayPaymentColumns).map(([k, v]) => [k, v.as(k)])),
  },
};

export function listGatewayPayments(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  return listRows(ctx, gatewayPaymentResource, query);
}

/** A gateway payment with the events that told us of it, oldest first. */
export async function getGatewayPayment(ctx: Ctx, id: string): Promise<Row> {
  const row = await getRow(ctx, gatewayPaymentResource, id);
  const events = await ctx.db
    .select({ id: gatewayEvents.id, event_id: gatewayEvents.event_id, event: gatewayEvents.event, outcome: gatewayEvents.outcome, detail: gatewayEvents.detail, received_at: gatewayEvents.received_at })
    .from(gatewayEvents)
    .where(eq(gatewayEvents.gateway_payment_id, row.gateway_payment_id as string))
    .orderBy(asc(gatewayEvents.received_at), asc(gatewayEvents.id))
    .limit(100);
  return { ...row, events };
}

/**
 * Finance assigns an unmatched gateway payment to its customer: once captured it is recorded as their payment and
 * settles their oldest invoices (the rest wallet credit), in one transaction with the audit row. Two finance users at
 * once: the row lock queues the second, who finds it assigned (409).
 */
export async function assignGatewayPayment(ctx: Ctx, id: string, customerId: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, gatewayPaymentResource, id, { lock: true });
    if (before.customer_id) {
      throw conflict(`Payment ${String(before.gateway_payment_id)} is already ${before.customer_id === customerId ? "this customer's" : `assigned to ${String(before.customer_name)}`}.`, 'already_assigned');
    }
    const [customer] = rowsOf<{ id: string }>(await tx.db.execute(sql`select id from customers where id = ${customerId}`));
    if (!customer) throw unprocessable('That customer does not exist.', 'unknown_customer');
    const [assigned] = await tx.db.update(gatewayPayments).set({ customer_id: customerId, assigned_by: tx.actor?.id ?? null, assigned_at: new Date() }).where(eq(gatewayPayments.id, id)).returning();
    await recordIfCaptured(tx, assigned);
    const after = await getGatewayPayment(tx, id);
    await audit(tx, { action: 'assign', table: 'gateway-payments', recordId: id, before, after });
    return after;
  });
}
