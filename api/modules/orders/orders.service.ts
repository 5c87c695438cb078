import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { addresses, customers, deliveries, orderItems, orders, products, subscriptionOverrides } from '../../../db/schema/index.js';
import { inZoneScope } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { customerInZones, getRow, selectionOf, type Resource, type Row } from '../../lib/crud.js';
import { todayIST } from '../../lib/dates.js';
import { conflict, unprocessable } from '../../lib/errors.js';
import { formatRupees } from '../../../shared/money.js';
import type { Clock } from '../subscriptions/subscriptions.service.js';
import { defaultStaffSql } from './generate.service.js';
import { CancelOrderBody, OneTimeOrderCreate } from './orders.schemas.js';

// ---------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------

const customerName = sql<string>`(select ${customers.name} from ${customers} where ${customers.id} = ${orders.customer_id})`;
const zoneId = sql<string>`(select ${customers.zone_id} from ${customers} where ${customers.id} = ${orders.customer_id})`;
const zoneName = sql<string>`(select z.name from customers c join zones z on z.id = c.zone_id where c.id = ${orders.customer_id})`;
const itemCount = sql<number>`(select count(*)::int from ${orderItems} where ${orderItems.order_id} = ${orders.id})`;
const delivery = (col: string) => sql`(select d.${sql.raw(col)} from deliveries d where d.order_id = ${orders.id})`;
const deliveryId = sql<string | null>`${delivery('id')}`;
const deliveryStatus = sql<string | null>`${delivery('status')}`;
const staffId = sql<string | null>`${delivery('staff_id')}`;
const staffName = sql<string | null>`(select st.name from deliveries d join staff st on st.id = d.staff_id where d.order_id = ${orders.id})`;

export const orderColumns = { customer_name: customerName, zone_id: zoneId, zone_name: zoneName, item_count: itemCount, delivery_status: deliveryStatus, staff_id: staffId };

export const orderResource: Resource = {
  name: 'orders',
  label: 'Order',
  table: orders,
  selection: {
    ...getTableColumns(orders),
    customer_name: customerName.as('customer_name'),
    zone_id: zoneId.as('zone_id'),
    zone_name: zoneName.as('zone_name'),
    item_count: itemCount.as('item_count'),
    delivery_id: deliveryId.as('delivery_id'),
    delivery_status: deliveryStatus.as('delivery_status'),
    staff_id: staffId.as('staff_id'),
    staff_name: staffName.as('staff_name'),
  },
  inZones: (zoneIds) => customerInZones(orders.customer_id, zoneIds),
};

const productName = sql<string>`(select ${products.name} from ${products} where ${products.id} = ${orderItems.product_id})`;
const amount = sql<number>`${orderItems.quantity} * ${orderItems.unit_price_paise}`;
export const orderItemColumns = { product_name: productName, amount_paise: amount };

export const orderItemResource: Resource = {
  name: 'order-items',
  label: 'Order item',
  table: orderItems,
  selection: { ...getTableColumns(orderItems), product_name: productName.as('product_name'), amount_paise: amount.as('amount_paise') },
  inZones: (zoneIds) => sql`${orderItems.order_id} in (select o.id from orders o where ${customerInZones(sql`o.customer_id`, zoneIds)})`,
};

// ---------------------------------------------------------------------------------------------------
// One-time orders
// ---------------------------------------------------------------------------------------------------

export interface OrderWithItems extends Row {
  items: Row[];
}

/** An order with its items, sorted by product name (the answer of create). */
export async function orderWithItems(ctx: Ctx, id: string): Promise<OrderWithItems> {
  const order = await getRow(ctx, orderResource, id);
  const items = (await ctx.db
    .select(selectionOf(orderItemResource) as never)
    .from(orderItems)
    .where(eq(orderItems.order_id, id))
    .orderBy(orderItemColumns.product_name, orderItems.id)) as Row[];
  return { ...order, items };
}

/**
 * A one-time order in one transaction: the order (unit prices from the catalogue), its items, its pending
 * delivery (default staff of the customer's zone) and the audit row. `opts.today` lets the seeds place
 * orders in the past; the API refuses a delivery date before today (IST). `opts.noCharge`: every line at ₹0 (a
 * dispute's redelivery of what was missing).
 */
export async function createOneTimeOrder(ctx: Ctx, raw: z.input<typeof OneTimeOrderCreate>, opts: Clock & { noCharge?: boolean } = {}): Promise<OrderWithItems> {
  const input = OneTimeOrderCreate.parse(raw);
  const today = opts.today ?? todayIST();
  if (input.delivery_date < today) throw unprocessable(`The delivery date ${input.delivery_date} is in the past; choose today or a later day.`, 'date_in_past');
  return transaction(ctx, async (tx) => {
    const [customer] = await tx.db.select({ name: customers.name, status: customers.status, zone_id: customers.zone_id }).from(customers).where(eq(customers.id, input.customer_id));
    // Outside the actor's zones (a zone-limited grant), the customer is one that does not exist.
    if (!customer || !inZoneScope(tx, customer.zone_id)) throw unprocessable('That customer does not exist.', 'unknown_customer');
    if (customer.status === 'inactive') throw unprocessable(`${customer.name} is inactive; reactivate the customer before ordering.`, 'customer_inactive');
    // Checked here for the message; the composite FK orders_customer_address_fk holds it in the database.
    const [address] = await tx.db.select({ customer_id: addresses.customer_id }).from(addresses).where(eq(addresses.id, input.address_id));
    if (!address || address.customer_id !== input.customer_id) {
      throw unprocessable("The delivery address must be one of this customer's addresses.", 'address_not_of_customer');
    }

    const ids = input.items.map((i) => i.product_id);
    const catalogue = new Map(
      (await tx.db.select({ id: products.id, name: products.name, price_paise: products.price_paise, is_active: products.is_active }).from(products).where(inArray(products.id, ids))).map((p) => [p.id, p]),
    );
    const seen = new Set<string>();
    const lines = input.items.map((item, n) => {
      const product = catalogue.get(item.product_id);
      if (!product) throw unprocessable(`Item ${n + 1}: that product does not exist.`, 'unknown_product');
      if (!product.is_active) throw unprocessable(`${product.name} is no longer sold; remove it from the order.`, 'product_inactive');
      if (seen.has(item.product_id)) throw unprocessable(`${product.name} appears twice in the order; combine the quantities into one line.`, 'duplicate_item');
      seen.add(item.product_id);
      if (item.unit_price_paise !== undefined && item.unit_price_paise !== product.price_paise) {
        throw conflict(`The price of ${product.name} is now ${formatRupees(product.price_paise)}, not ${formatRupees(item.unit_price_paise)}; review the order.`, 'price_changed');
      }
      // A redelivery for a dispute (disputes.service resolve) is made again at no charge: its lines are billed at ₹0.
      return { product_id: item.product_id, quantity: item.quantity, unit_price_paise: opts.noCharge ? 0 : product.price_paise };
    });
    const total = lines.reduce((sum, l) => sum + l.quantity * l.unit_price_paise, 0);

    const [order] = await tx.db
      .insert(orders)
      .values({
        customer_id: input.customer_id,
        address_id: input.address_id,
        kind: 'one_time',
        delivery_date: input.delivery_date,
        shift: input.shift,
        payment_method: input.payment_method,
        total_paise: total,
        note: input.note,
        created_by: tx.actor?.id ?? null,
      })
      .returning({ id: orders.id });
    await tx.db.insert(orderItems).values(lines.map((l) => ({ ...l, order_id: order.id })));
    await tx.db.execute(sql`
      insert into deliveries (order_id, order_date, staff_id)
      values (${order.id}, ${input.delivery_date}::date, ${defaultStaffSql(sql`${input.customer_id}::uuid`, sql`${customer.zone_id}::uuid`)})`);
    const after = await orderWithItems(tx, order.id);
    await audit(tx, { action: 'create', table: 'orders', recordId: order.id, after });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------------
// Cancel
// ---------------------------------------------------------------------------------------------------

/**
 * Cancels a pending order whose delivery is still pending. Its pending delivery row stays (the deliveries
 * module refuses to confirm a delivery of a cancelled order). Cancelling a subscription order also sets a
 * one-day change of 0 for that day, so re-planning the subscription never brings the order back.
 */
export async function cancelOrder(ctx: Ctx, id: string, raw: z.input<typeof CancelOrderBody> = {}): Promise<Row> {
  const input = CancelOrderBody.parse(raw);
  return transaction(ctx, async (tx) => {
    // Race with a confirmation or failure: all lock the order row, then the delivery (one order, so no deadlock);
    // whoever comes second sees the other's outcome.
    const before = await getRow(tx, orderResource, id, { lock: true });
    const [del] = await tx.db.select({ id: deliveries.id, status: deliveries.status }).from(deliveries).where(eq(deliveries.order_id, id)).for('update');
    if (before.status !== 'pending') throw conflict(`This order is already ${String(before.status).replace('_', ' ')}; it cannot be cancelled.`, 'order_not_pending');
    if (del && del.status !== 'pending') throw conflict(`Its delivery is already ${del.status}; the order can no longer be cancelled.`, 'delivery_not_pending');
    await tx.db.update(orders).set({ status: 'cancelled' }).where(eq(orders.id, id));
    const after = await getRow(tx, orderResource, id);
    await audit(tx, { action: 'cancel', table: 'orders', recordId: id, before, after: { ...after, reason: input.reason ?? null } });
    if (before.kind === 'subscription') {
      const [override] = await tx.db
        .insert(subscriptionOverrides)
        .values({ subscription_id: before.subscription_id as string, date: before.delivery_date as string, quantity: 0 })
        .onConflictDoUpdate({ target: [subscriptionOverrides.subscription_id, subscriptionOverrides.date], set: { quantity: 0 } })
        .returning();
      await audit(tx, { action: 'upsert', table: 'subscription-overrides', recordId: override.id, after: override });
    }
    return after;
  });
}
