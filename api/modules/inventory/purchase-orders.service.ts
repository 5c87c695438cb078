import { and, eq, sql } from 'drizzle-orm';
import { purchaseOrderLines, purchaseOrders, supplierProducts } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import { nowOf, transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import type { PurchaseOrderCreate, PurchaseOrderReceive } from './purchase-orders.schemas.js';
import { batchFor, insertLines } from './stock.service.js';

const linesOf = sql`(select coalesce(json_agg(json_build_object('id', l.id, 'product_id', l.product_id, 'product_name', p.name, 'quantity', l.quantity,
  'unit_price_paise', l.unit_price_paise, 'quantity_accepted', l.quantity_accepted, 'quantity_rejected', l.quantity_rejected) order by p.name), '[]')
  from purchase_order_lines l join products p on p.id = l.product_id where l.purchase_order_id = ${purchaseOrders.id})`;

export const purchaseOrderResource: Resource = {
  name: 'purchase-orders',
  label: 'Purchase order',
  table: purchaseOrders,
  selection: {
    id: purchaseOrders.id, number: purchaseOrders.number, supplier_id: purchaseOrders.supplier_id, depot_id: purchaseOrders.depot_id, status: purchaseOrders.status,
    expected_date: purchaseOrders.expected_date, note: purchaseOrders.note, total_paise: purchaseOrders.total_paise, created_by: purchaseOrders.created_by,
    approved_by: purchaseOrders.approved_by, approved_at: purchaseOrders.approved_at, sent_at: purchaseOrders.sent_at, received_at: purchaseOrders.received_at,
    cancelled_at: purchaseOrders.cancelled_at, cancel_reason: purchaseOrders.cancel_reason, created_at: purchaseOrders.created_at, updated_at: purchaseOrders.updated_at,
    supplier_name: sql<string>`(select s.name from suppliers s where s.id = ${purchaseOrders.supplier_id})`.as('supplier_name'),
    depot_name: sql<string>`(select d.name from depots d where d.id = ${purchaseOrders.depot_id})`.as('depot_name'),
    created_by_name: sql<string>`(select u.name from users u where u.id = ${purchaseOrders.created_by})`.as('created_by_name'),
    approved_by_name: sql<string | null>`(select u.name from users u where u.id = ${purchaseOrders.approved_by})`.as('approved_by_name'),
    lines: linesOf.as('lines'),
  },
};

/** A draft purchase order with its lines (prices default to the supplier's), one transaction. */
export async function createPurchaseOrder(ctx: Ctx, input: PurchaseOrderCreate): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const offers = await tx.db.select({ product_id: supplierProducts.product_id, price: supplierProducts.price_paise }).from(supplierProducts).where(eq(supplierProducts.supplier_id, input.supplier_id));
    const price = new Map(offers.map((o) => [o.product_id, o.price]));
    const lines = input.lines.map((l) => {
      const unit = l.unit_price_paise ?? price.get(l.product_id);
      if (unit === undefined) throw unprocessable('The supplier does not list one of these products: give its unit price, or add it to the supplier.', 'price_required');
      return { product_id: l.product_id, quantity: l.quantity, unit_price_paise: unit };
    });
    const total = lines.reduce((s, l) => s + l.quantity * l.unit_price_paise, 0);
    const [po] = await tx.db
      .insert(purchaseOrders)
      .values({ supplier_id: input.supplier_id, depot_id: input.depot_id, expected_date: input.expected_date ?? null, note: input.note, total_paise: total, created_by: ctx.actor!.id })
      .returning({ id: purchaseOrders.id });
    await tx.db.insert(purchaseOrderLines).values(lines.map((l) => ({ ...l, purchase_order_id: po.id })));
    const after = await getRow(tx, purchaseOrderResource, po.id);
    await audit(tx, { action: 'create', table: 'purchase_orders', recordId: po.id, after });
    return after;
  });
}

/**
 * Moves an order from one of `from` to `to`, under its row lock: of two people approving (or sending) at once, the
 * second sees the new status and gets a 409. The database checks the step (purchase_orders_status_flow) and four eyes
 * (purchase_orders_approver_differs).
 */
async function transition(ctx: Ctx, id: string, from: string[], to: 'approved' | 'sent' | 'cancelled', set: Record<string, unknown>, verb: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    // Lock, then read afresh: a statement that waited for the lock may still see the lines as they were before it.
    await getRow(tx, purchaseOrderResource, id, { lock: true });
    const before = await getRow(tx, purchaseOrderResource, id);
    if (!from.includes(String(before.status))) throw conflict(`Purchase order ${before.number} is ${String(before.status).replace('_', ' ')}: it cannot be ${verb}.`, 'po_status_flow');
    await tx.db.update(purchaseOrders).set({ status: to, ...set }).where(eq(purchaseOrders.id, id));
    const after = await getRow(tx, purchaseOrderResource, id);
    await audit(tx, { action: to === 'approved' ? 'approve' : to === 'sent' ? 'send' : 'cancel', table: 'purchase_orders', recordId: id, before, after });
    return after;
  });
}

export const approvePurchaseOrder = (ctx: Ctx, id: string) => transition(ctx, id, ['draft'], 'approved', { approved_by: ctx.actor!.id, approved_at: nowOf(ctx) }, 'approved');
export const sendPurchaseOrder = (ctx: Ctx, id: string) => transition(ctx, id, ['approved'], 'sent', { sent_at: nowOf(ctx) }, 'sent');
export const cancelPurchaseOrder = (ctx: Ctx, id: string, reason: string) =>
  transition(ctx, id, ['draft', 'approved', 'sent'], 'cancelled', { cancelled_at: nowOf(ctx), cancel_reason: reason }, 'cancelled');

/**
 * Receives goods against a sent order: accepted units go into stock as a receipt line on their batch; rejected ones are
 * only counted. The order's row is locked first, so two people receiving the same order at once go one after the
 * other, and the second is refused by purchase_order_lines_not_over_received when it would receive what the first did.
 */
export async function receivePurchaseOrder(ctx: Ctx, id: string, input: PurchaseOrderReceive): Promise<Row> {
  return transaction(ctx, async (tx) => {
    // Lock, then read afresh: a statement that waited for the lock may still see the lines as they were before it.
    await getRow(tx, purchaseOrderResource, id, { lock: true });
    const before = await getRow(tx, purchaseOrderResource, id);
    if (!['sent', 'partially_received'].includes(String(before.status))) throw conflict(`Purchase order ${before.number} is ${String(before.status).replace('_', ' ')}: goods are received against a sent order.`, 'po_status_flow');
    const lines = before.lines as { id: string; product_id: string; product_name: string; quantity: number; quantity_accepted: number; quantity_rejected: number }[];
    for (const r of input.lines) {
      const line = lines.find((l) => l.product_id === r.product_id);
      if (!line) throw unprocessable('That product is not on this purchase order.', 'not_on_order');
      const open = line.quantity - line.quantity_accepted - line.quantity_rejected;
      if (r.quantity_accepted + r.quantity_rejected > open) {
        throw conflict(`${line.product_name}: ${open} of ${line.quantity} still to receive; ${r.quantity_accepted + r.quantity_rejected} given.`, 'over_received');
      }
      await tx.db
        .update(purchaseOrderLines)
        .set({ quantity_accepted: sql`${purchaseOrderLines.quantity_accepted} + ${r.quantity_accepted}`, quantity_rejected: sql`${purchaseOrderLines.quantity_rejected} + ${r.quantity_rejected}` })
        .where(and(eq(purchaseOrderLines.id, line.id)));
      if (r.quantity_accepted > 0) {
        const batchId = await batchFor(tx, r.product_id, String(before.depot_id), r.batch_code!, r.expiry_date!);
        await insertLines(tx, r.product_id, `PO ${before.number}`, [{ kind: 'receipt', batch_id: batchId, depot_id: String(before.depot_id), quantity: r.quantity_accepted, purchase_order_line_id: line.id }]);
      }
    }
    const [{ open }] = await tx.db
      .select({ open: sql<number>`coalesce(sum(${purchaseOrderLines.quantity} - ${purchaseOrderLines.quantity_accepted} - ${purchaseOrderLines.quantity_rejected}), 0)::int` })
      .from(purchaseOrderLines)
      .where(eq(purchaseOrderLines.purchase_order_id, id));
    const status = Number(open) === 0 ? 'received' : 'partially_received';
    if (status !== before.status) await tx.db.update(purchaseOrders).set({ status, received_at: status === 'received' ? nowOf(ctx) : null }).where(eq(purchaseOrders.id, id));
    const after = await getRow(tx, purchaseOrderResource, id);
    await audit(tx, { action: 'receive', table: 'purchase_orders', recordId: id, before, after: { ...after, received: input.lines } });
    return after;
  });
}
