import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { todayIST } from '../api/lib/dates.js';
import { rowsOf } from '../api/lib/sql.js';

/**
 * Bulk data for the benchmarks (npm run bench), on top of seedDemo's zones, catalogue and customers. This is
 * data preparation, not business: set-based SQL instead of the service verbs, so 50,000 customers and a month
 * of 1.5 million delivered lines take minutes rather than hours. Everything still passes the chain's
 * constraints and triggers (the deferred ones check at each commit).
 *
 * "Random" choices hash the customer's phone (seedDemo derives phones from its seed), so the same seed gives the
 * same subscriptions; outcomes of deliveries hash the delivery id.
 */

/** A number in [0, 1) from a text key: deterministic per customer and purpose. */
const unit = (key: SQL) => sql`((abs(hashtext(${key})::bigint) % 100000) / 100000.0)`;

/** Two delivery staff per zone (phones +9198xxxxxxxx, unique). Returns how many were created. */
export async function insertBenchStaff(db: Db): Promise<number> {
  const rows = await db.execute(sql`
    with ins as (insert into staff (name, phone, zone_id, is_active)
    select 'Bench Rider ' || z.name || ' ' || k,
           '+9198' || lpad((row_number() over (order by z.name, k))::text, 8, '0'),
           z.id, true
    from zones z cross join generate_series(1, 2) as k
    returning 1)
    select count(*)::int as n from ins`);
  return countOf(rows);
}

/**
 * About 1.2 subscriptions per active customer: one milk subscription each (80% daily, 10% alternate days, 10% on
 * chosen weekdays; 70% one packet, 30% two; mostly morning) and, for about 22%, a second one of curd, bread, eggs,
 * buttermilk, flavoured milk or butter (some taxed, so invoices mix exempt and taxed lines), mostly evening.
 * Start dates spread over the `spreadDays` days before `startBy`, so alternate days fall on both parities.
 * At 50,000 customers that is about 49,000 drops a day, 1.5 million order lines a month.
 */
export async function insertBenchSubscriptions(db: Db, opts: { seed: number; startBy: string; spreadDays?: number }): Promise<number> {
  const spread = opts.spreadDays ?? 60;
  const r = (k: string) => unit(sql`c.phone || ${`:${k}:${opts.seed}`}`);
  const rows = await db.execute(sql`
    with people as (
      select c.id as customer_id, a.id as address_id,
             ${r('milk')} as r_milk, ${r('extra')} as r_extra, ${r('second')} as r_second,
             ${r('sched1')} as r_sched1, ${r('sched2')} as r_sched2, ${r('qty1')} as r_qty1, ${r('qty2')} as r_qty2,
             ${r('shift1')} as r_shift1, ${r('shift2')} as r_shift2, ${r('start')} as r_start, ${r('mask')} as r_mask
      from customers c
      join addresses a on a.customer_id = c.id and a.is_default
      where c.status = 'active'
    ),
    milk as (
      select id, row_number() over (order by sku) - 1 as k, count(*) over () as n
      from products where is_active and category = 'milk'
    ),
    extras as (
      select id, row_number() over (order by sku) - 1 as k, count(*) over () as n
      from products where is_active and sku in ('CURD-500', 'BREAD-BRN-400', 'EGGS-6', 'BMILK-200', 'FMILK-200', 'BUTTER-100')
    ),
    wanted as (
      select p.customer_id, p.address_id, m.id as product_id, p.r_sched1 as r_sched, p.r_qty1 as r_qty,
             case when p.r_shift1 < 0.85 then 'morning' else 'evening' end as shift, p.r_start, p.r_mask
      from people p join milk m on m.k = floor(p.r_milk * m.n)
      union all
      select p.customer_id, p.address_id, e.id, p.r_sched2, p.r_qty2,
             case when p.r_shift2 < 0.6 then 'evening' else 'morning' end, p.r_start, p.r_mask
      from people p join extras e on e.k = floor(p.r_extra * e.n)
      where p.r_second < 0.22
    ), ins as (
    insert into subscriptions (customer_id, address_id, product_id, quantity, schedule, weekdays, shift, start_date)
    select customer_id, address_id, product_id,
           case when r_qty < 0.7 then 1 else 2 end,
           (case when r_sched < 0.8 then 'daily' when r_sched < 0.9 then 'alternate' else 'weekdays' end)::schedule_kind,
           -- Mon/Wed/Fri, Monday to Friday, or the weekend (bit d = ISO weekday d)
           case when r_sched < 0.9 then 0 when r_mask < 0.4 then 42 when r_mask < 0.8 then 62 else 192 end,
           shift::shift,
           ${opts.startBy}::date - floor(r_start * ${spread})::int
    from wanted
    returning 1)
    select count(*)::int as n from ins`);
  return countOf(rows);
}

export interface ConfirmedDay {
  delivered: number;
  partial: number;
  failed: number;
  billing_records: number;
}

/**
 * Settles the pending deliveries of one past day in one transaction, the way confirmDelivery and failDelivery
 * would leave them: about 1.5% failed (with a reason), 1% partial (one packet short where two were ordered), the
 * rest delivered in full; a delivery item per order item, a billing record per delivered item (tax rounded as
 * lineAmounts and the CHECK billing_records_tax_exact do), and the orders' statuses. Times are the shift's
 * (06:xx or 18:xx IST). The deferred chain checks run at this transaction's commit.
 */
export async function confirmBenchDay(db: Db, opts: { day: string; confirmedBy: string | null }): Promise<ConfirmedDay> {
  if (opts.day >= todayIST()) throw new Error(`confirmBenchDay: ${opts.day} is not a past day (IST)`);
  return db.transaction(async (tx) => {
    await tx.execute(sql`
      create temp table bench_due on commit drop as
      select d.id as delivery_id, d.order_id, o.customer_id, o.shift,
             case when h.r < 15 then 'failed'
                  when h.r < 25 and exists (select 1 from order_items oi where oi.order_id = d.order_id and oi.quantity > 1) then 'partial'
                  else 'delivered' end as outcome,
             (${opts.day}::date + (case when o.shift = 'morning' then time '06:00' else time '18:00' end) + (h.r % 60) * interval '1 minute')
               at time zone 'Asia/Kolkata' as at
      from deliveries d
      join orders o on o.id = d.order_id
      cross join lateral (select abs(hashtext(d.id::text)) % 1000 as r) h
      where d.order_date = ${opts.day}::date and d.status = 'pending' and o.status = 'pending'`);
    // The outcome first: a billing record's service date is its delivery's date (trigger billing_records_match_delivery).
    await tx.execute(sql`
      update deliveries d
      set status = b.outcome::delivery_status, delivered_at = b.at, delivered_on = ${opts.day}::date,
          failure_reason = case when b.outcome = 'failed' then 'Door locked, no answer' end,
          confirmed_by = ${opts.confirmedBy}::uuid, updated_at = b.at
      from bench_due b where d.id = b.delivery_id`);
    await tx.execute(sql`
      insert into delivery_items (delivery_id, order_id, order_item_id, ordered_quantity, quantity)
      select b.delivery_id, b.order_id, oi.id, oi.quantity,
             case when b.outcome = 'partial' and oi.quantity > 1 then oi.quantity - 1 else oi.quantity end
      from bench_due b join order_items oi on oi.order_id = b.order_id
      where b.outcome <> 'failed'`);
    const billed = await tx.execute(sql`
      with ins as (insert into billing_records (delivery_item_id, quantity, customer_id, order_id, product_id, service_date, unit_price_paise,
                                   hsn_code, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
      select di.id, di.quantity, b.customer_id, b.order_id, oi.product_id, ${opts.day}::date, oi.unit_price_paise,
             p.hsn_code, p.gst_rate_bp, t.taxable, t.half, t.half, t.taxable + 2 * t.half
      from bench_due b
      join delivery_items di on di.delivery_id = b.delivery_id
      join order_items oi on oi.id = di.order_item_id
      join products p on p.id = oi.product_id
      -- lineAmounts: CGST = SGST = floor((taxable * rate_bp + 10000) / 20000), in integer paise
      cross join lateral (select di.quantity * oi.unit_price_paise as taxable,
                                 ((di.quantity * oi.unit_price_paise)::bigint * p.gst_rate_bp + 10000) / 20000 as half) t
      where di.quantity > 0
      returning 1)
      select count(*)::int as n from ins`);
    await tx.execute(sql`
      update orders o
      set status = (case b.outcome when 'failed' then 'failed' when 'partial' then 'partially_delivered' else 'delivered' end)::order_status,
          updated_at = b.at
      from bench_due b where o.id = b.order_id`);
    const [counts] = rowsOf<{ delivered: number; partial: number; failed: number }>(
      await tx.execute(sql`
        select count(*) filter (where outcome = 'delivered')::int as delivered, count(*) filter (where outcome = 'partial')::int as partial,
               count(*) filter (where outcome = 'failed')::int as failed
        from bench_due`),
    );
    return { ...counts, billing_records: countOf(billed) };
  });
}

/** The n of a `select count(*)::int as n`. */
function countOf(result: unknown): number {
  return Number(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
}
