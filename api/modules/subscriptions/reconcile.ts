import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { oneRow, rowsOf } from '../../lib/sql.js';
import { insertPlannedOrders, lockPlanShared, plannedDropsSql } from '../orders/generate.service.js';

export interface ReconcileResult {
  from: string;
  to: string;
  orders_created: number;
  orders_cancelled: number;
  orders_updated: number;
}

/**
 * Brings the already generated orders of one subscription in [from, to] (never before `today`, and only
 * up to the last day generated so far) in line with its current plan: an order no longer owed is cancelled,
 * a cancelled one owed again is reinstated, a changed quantity or address is applied, and a day owed
 * without an order gets one. Only orders whose delivery is still pending are touched; a confirmed
 * delivery is history. Later days are left to the next generation run.
 */
export async function reconcileOrders(ctx: Ctx, subscriptionId: string, from: string, to: string | null, today: string): Promise<ReconcileResult | null> {
  await lockPlanShared(ctx);
  const lo = from > today ? from : today;
  const { horizon } = oneRow<{ horizon: string | null }>(
    await ctx.db.execute(sql`select max(delivery_date)::text as horizon from orders where subscription_id is not null and delivery_date >= ${lo}::date`),
  );
  if (!horizon) return null;
  const hi = to && to < horizon ? to : horizon;
  if (hi < lo) return null;

  // A delivery being confirmed at the same moment: we wait for its row lock and then leave it alone
  // (the updates below re-check status = 'pending'), or it waits for ours and sees the order as we left it.
  await ctx.db.execute(sql`
    select d.id from deliveries d join orders o on o.id = d.order_id
    where o.subscription_id = ${subscriptionId} and o.delivery_date between ${lo}::date and ${hi}::date and d.status = 'pending'
    order by d.id for update of d`);

  const planned = plannedDropsSql({ from: lo, to: hi, subscriptionId });
  const cancelled = rowsOf(
    await ctx.db.execute(sql`
      with planned as (${planned})
      update orders o set status = 'cancelled', updated_at = now()
      where o.subscription_id = ${subscriptionId} and o.delivery_date between ${lo}::date and ${hi}::date and o.status = 'pending'
        and exists (select 1 from deliveries d where d.order_id = o.id and d.status = 'pending')
        and not exists (select 1 from planned p where p.day = o.delivery_date and p.shift = o.shift)
      returning o.id`),
  );
  const updated = rowsOf(
    await ctx.db.execute(sql`
      with planned as (${planned}),
      target as (
        select o.id, oi.id as item_id, p.quantity, p.address_id, oi.unit_price_paise
        from orders o
        join planned p on p.day = o.delivery_date and p.shift = o.shift
        join order_items oi on oi.order_id = o.id
        where o.subscription_id = ${subscriptionId} and o.delivery_date between ${lo}::date and ${hi}::date
          and o.status in ('pending', 'cancelled')
          and exists (select 1 from deliveries d where d.order_id = o.id and d.status = 'pending')
          and (o.status = 'cancelled' or oi.quantity <> p.quantity or o.address_id <> p.address_id)
      ),
      items as (
        update order_items oi set quantity = t.quantity from target t where oi.id = t.item_id and oi.quantity <> t.quantity returning oi.id
      )
      update orders o set status = 'pending', address_id = t.address_id, total_paise = t.quantity * t.unit_price_paise, updated_at = now()
      from target t where o.id = t.id
      returning o.id`),
  );
  const created = await insertPlannedOrders(ctx, { from: lo, to: hi, subscriptionId });
  return { from: lo, to: hi, orders_created: created.orders_created, orders_cancelled: cancelled.length, orders_updated: updated.length };
}
