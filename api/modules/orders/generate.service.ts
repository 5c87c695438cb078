import type { z } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { daysBetween } from '../../lib/dates.js';
import { unprocessable } from '../../lib/errors.js';
import { oneRow } from '../../lib/sql.js';
import { scheduledOn, type Shift } from '../subscriptions/schedule.js';
import { GenerateBody, MAX_GENERATION_DAYS } from './orders.schemas.js';

export { MAX_GENERATION_DAYS };

export type GenerateInput = z.input<typeof GenerateBody>;

export interface GenerateResult {
  orders_created: number;
  items_created: number;
  deliveries_created: number;
}

interface PlanScope {
  from: string;
  to: string;
  shift?: Shift;
  subscriptionId?: string;
}

// Generation and changes to subscriptions take this advisory lock (generation exclusively, changes shared), so
// a pause or one-day change made while a run is in flight is never lost: either the run sees it, or the change
// waits for the run to commit and then re-plans the orders it created. Taken first in the transaction, before
// any row lock, so the two can never wait on each other in a circle.
const PLAN_LOCK = 7_240_001;
export async function lockPlanExclusive(ctx: Ctx) {
  await ctx.db.execute(sql`select pg_advisory_xact_lock(${PLAN_LOCK})`);
}
export async function lockPlanShared(ctx: Ctx) {
  await ctx.db.execute(sql`select pg_advisory_xact_lock_shared(${PLAN_LOCK})`);
}

/**
 * SQL: the drops subscriptions owe in [from, to]: one row per (subscription, day) with quantity > 0, for
 * active subscriptions of active customers whose product is on sale, inside the subscription's period,
 * on its schedule or on a day with a one-day change (0 = skip; a change on an off-schedule day adds a drop),
 * never inside a pause (a pause wins over a one-day change). Columns: subscription_id, customer_id,
 * address_id, product_id, zone_id, shift, day, quantity, price_paise (the catalogue price now, snapshotted).
 */
export function plannedDropsSql(scope: PlanScope): SQL {
  const from = sql`${scope.from}::date`;
  const to = sql`${scope.to}::date`;
  const day = sql`g.day`;
  // The number of days is inlined (an integer we computed) so the planner knows the series' size: with a
  // guessed 1000 rows per subscription it over-estimates by orders of magnitude and spends seconds on JIT.
  const span = daysBetween(scope.from, scope.to);
  if (!Number.isSafeInteger(span) || span < 0) throw unprocessable('The end date cannot be before the start date.', 'bad_dates');
  return sql`
    select s.id as subscription_id, s.customer_id, s.address_id, s.product_id, c.zone_id, s.shift, g.day,
           coalesce(ov.quantity, s.quantity) as quantity, p.price_paise
    from subscriptions s
    join customers c on c.id = s.customer_id
    join products p on p.id = s.product_id
    join (select ${from} + i as day from generate_series(0, ${sql.raw(String(span))}) as i) g
      on g.day >= s.start_date and (s.end_date is null or g.day <= s.end_date)
    left join subscription_overrides ov on ov.subscription_id = s.id and ov.date = g.day and ov.date between ${from} and ${to}
    where s.status = 'active' and c.status = 'active' and p.is_active
      and s.start_date <= ${to} and (s.end_date is null or s.end_date >= ${from})
      ${scope.shift ? sql`and s.shift = ${scope.shift}` : sql``}
      ${scope.subscriptionId ? sql`and s.id = ${scope.subscriptionId}` : sql``}
      and (case when ov.quantity is not null then ov.quantity > 0 else ${scheduledOn('s', day)} end)
      and not exists (
        select 1 from subscription_pauses sp
        where sp.subscription_id = s.id and sp.from_date <= ${day} and sp.to_date >= ${day}
          and sp.from_date <= ${to} and sp.to_date >= ${from}
      )`;
}

/**
 * Default delivery staff of a customer: the active staff of the customer's zone, ordered by id, taking slot
 * hash(customer id) mod their number. Deterministic, spreads a zone's customers over its staff, and keeps
 * a customer with the same person day after day while the zone's staff do not change. No staff: null.
 * insertPlannedOrders states the same rule set-based (zone_staff, zone_size): keep the two in step.
 */
export function defaultStaffSql(customerId: SQL, zoneId: SQL): SQL {
  return sql`(
    select z.id from (
      select st.id, row_number() over (order by st.id) - 1 as slot, count(*) over () as n
      from staff st where st.is_active and st.zone_id = ${zoneId}
    ) z
    where z.slot = abs(hashtext((${customerId})::text)::bigint) % z.n)`;
}

/**
 * Creates the subscription orders owed in [from, to] (optionally one shift) with their single item (price
 * snapshotted from the catalogue) and their pending delivery (default staff of the zone), in one set-based
 * statement. ON CONFLICT on orders_subscription_date_shift_key: a day already generated creates nothing,
 * and two runs at the same time settle on the unique index (the second skips what the first inserted).
 */
export async function generateOrders(ctx: Ctx, raw: GenerateInput): Promise<GenerateResult> {
  const input = GenerateBody.parse(raw);
  return transaction(ctx, async (tx) => {
    await lockPlanExclusive(tx);
    const result = await insertPlannedOrders(tx, input);
    await audit(tx, { action: 'generate', table: 'orders', after: { from: input.from, to: input.to, shift: input.shift ?? null, ...result } });
    return result;
  });
}

/** The statement behind generateOrders, also used to fill the days of one subscription that were already generated. No audit. */
export async function insertPlannedOrders(ctx: Ctx, scope: PlanScope): Promise<GenerateResult> {
  const actor = ctx.actor?.id ?? null;
  const result = await ctx.db.execute(sql`
    with planned as materialized (${plannedDropsSql(scope)}),
    new_orders as (
      insert into orders (customer_id, address_id, kind, subscription_id, delivery_date, shift, total_paise, created_by)
      select customer_id, address_id, 'subscription', subscription_id, day, shift, quantity * price_paise, ${actor}::uuid
      from planned
      on conflict (subscription_id, delivery_date, shift) do nothing
      returning id, subscription_id, delivery_date
    ),
    created as materialized (
      select n.id as order_id, n.delivery_date, p.product_id, p.quantity, p.price_paise, p.customer_id, p.zone_id
      from new_orders n join planned p on p.subscription_id = n.subscription_id and p.day = n.delivery_date
    ),
    zone_staff as (
      select st.id, st.zone_id, row_number() over (partition by st.zone_id order by st.id) - 1 as slot,
             count(*) over (partition by st.zone_id) as n
      from staff st where st.is_active and st.zone_id is not null
    ),
    zone_size as (select zone_id, max(n) as n from zone_staff group by zone_id),
    new_items as (
      insert into order_items (order_id, product_id, quantity, unit_price_paise)
      select order_id, product_id, quantity, price_paise from created
      returning 1
    ),
    new_deliveries as (
      insert into deliveries (order_id, order_date, staff_id)
      select c.order_id, c.delivery_date, zs.id
      from created c
      left join zone_size zn on zn.zone_id = c.zone_id
      left join zone_staff zs on zs.zone_id = c.zone_id and zs.slot = abs(hashtext(c.customer_id::text)::bigint) % zn.n
      returning 1
    )
    select (select count(*) from created)::int as orders_created,
           (select count(*) from new_items)::int as items_created,
           (select count(*) from new_deliveries)::int as deliveries_created`);
  return oneRow<GenerateResult>(result);
}
