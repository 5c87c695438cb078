import { sql } from 'drizzle-orm';
import type { CheckSpec } from '../health/health.service.js';

// Data health of the stock ledger (issue 16): what a bypass of its trigger (triggers disabled, a restore without
// them, a hand-written UPDATE) could leave. `npm run check` and the Data health page run them with the others.
export const inventoryChecks: CheckSpec[] = [
  {
    name: 'stock_off_ledger',
    label: "Stock batches whose quantity is not the sum of their ledger, or ledger lines on a batch of another product or depot",
    broken: sql`select b.id::text as id from stock_batches b
      left join (select batch_id, sum(quantity) as s from stock_movements group by batch_id) m on m.batch_id = b.id
      where b.quantity <> coalesce(m.s, 0)
      union all
      select m.id::text from stock_movements m join stock_batches b on b.id = m.batch_id
      where b.product_id <> m.product_id or b.depot_id <> m.depot_id`,
  },
  {
    name: 'stock_batches_negative',
    label: 'Stock batches below zero, or whose ledger ever went below zero',
    broken: sql`select b.id::text as id from stock_batches b where b.quantity < 0
      union
      select batch_id::text from (
        select batch_id, sum(quantity) over (partition by batch_id order by created_at, id) as running from stock_movements
      ) r where r.running < 0`,
  },
  {
    name: 'dispatch_beyond_run_sheet',
    label: "Dispatches to a run (date, shift, staff) of more of a product than its run sheet's orders hold",
    broken: sql`with sent as (
        select run_date, run_shift::text as shift, staff_id, product_id, -sum(quantity) as q from stock_movements
        where kind = 'dispatch' and run_date is not null group by 1, 2, 3, 4
      ), sheet as (
        select d.order_date as run_date, o.shift::text as shift, d.staff_id, oi.product_id, sum(oi.quantity) as q
        from deliveries d join orders o on o.id = d.order_id join order_items oi on oi.order_id = o.id
        where o.status <> 'cancelled' and d.staff_id is not null
          and (d.order_date, o.shift::text, d.staff_id) in (select run_date, shift, staff_id from sent)
        group by 1, 2, 3, 4
      )
      select to_char(s.run_date, 'YYYY-MM-DD') || ' ' || s.shift || ' ' || s.staff_id || ' ' || s.product_id as id
      from sent s left join sheet r on r.run_date = s.run_date and r.shift = s.shift and r.staff_id = s.staff_id and r.product_id = s.product_id
      where s.q > coalesce(r.q, 0)`,
  },
];
