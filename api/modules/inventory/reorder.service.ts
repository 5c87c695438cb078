import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { addDays, todayIST } from '../../lib/dates.js';
import { rowsOf } from '../../lib/sql.js';
import { forecastSql } from './forecast.service.js';

/** Days of demand a proposal covers at most (a supplier's lead time beyond it is capped). */
export const REORDER_HORIZON_DAYS = 7;

/**
 * What to buy, per product and depot: the forecast from tomorrow over the preferred supplier's lead time (at least a
 * day), plus the product's safety stock, minus stock that is still good tomorrow, minus what is on order; a shortfall
 * is rounded up to whole packs of the preferred supplier. Products without a preferred supplier are left out.
 */
export async function reorderProposals(ctx: Ctx, input: { depot_id?: string; today?: string } = {}) {
  const tomorrow = addDays(input.today ?? todayIST(), 1);
  const rows = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`
      with fc as (select * from (${forecastSql(tomorrow, REORDER_HORIZON_DAYS, input.depot_id)}) f where depot_id is not null),
      pref as (
        select sp.product_id, sp.supplier_id, s.name as supplier_name, sp.price_paise, sp.pack_size, sp.pack_label, least(greatest(sp.lead_time_days, 1), ${REORDER_HORIZON_DAYS}) as days
        from supplier_products sp join suppliers s on s.id = sp.supplier_id where sp.is_preferred and s.is_active
      ),
      demand as (
        select f.product_id, f.depot_id, sum(f.subscription_quantity + f.expected_one_time_quantity)::int as q
        from fc f join pref on pref.product_id = f.product_id
        where f.date::date < ${tomorrow}::date + pref.days group by 1, 2
      ),
      st as (select product_id, depot_id, sum(quantity)::int as q from stock_batches where quantity > 0 and expiry_date >= ${tomorrow}::date group by 1, 2),
      inc as (
        select l.product_id, o.depot_id, sum(l.quantity - l.quantity_accepted - l.quantity_rejected)::int as q
        from purchase_order_lines l join purchase_orders o on o.id = l.purchase_order_id
        where o.status in ('draft', 'approved', 'sent', 'partially_received') group by 1, 2
      ),
      need as (
        select d.product_id, d.depot_id, d.q as forecast, coalesce(ss.quantity, 0) as safety_stock, coalesce(st.q, 0) as on_hand, coalesce(inc.q, 0) as incoming,
               d.q + coalesce(ss.quantity, 0) - coalesce(st.q, 0) - coalesce(inc.q, 0) as shortfall
        from demand d
        left join safety_stocks ss on ss.product_id = d.product_id
        left join st on st.product_id = d.product_id and st.depot_id = d.depot_id
        left join inc on inc.product_id = d.product_id and inc.depot_id = d.depot_id
      )
      select n.product_id || ':' || n.depot_id as id, n.product_id, p.name as product_name, n.depot_id, dp.name as depot_name,
             pref.supplier_id, pref.supplier_name, pref.price_paise as unit_price_paise, pref.pack_size, pref.pack_label, pref.days as lead_time_days,
             n.forecast, n.safety_stock, n.on_hand, n.incoming, n.shortfall,
             (ceil(n.shortfall::numeric / pref.pack_size) * pref.pack_size)::int as quantity
      from need n join pref on pref.product_id = n.product_id join products p on p.id = n.product_id join depots dp on dp.id = n.depot_id
      where n.shortfall > 0 and dp.is_active
      order by dp.name, pref.supplier_name, p.name`),
  );
  return rows.map((r) => ({
    ...r,
    unit_price_paise: Number(r.unit_price_paise), pack_size: Number(r.pack_size), lead_time_days: Number(r.lead_time_days), forecast: Number(r.forecast),
    safety_stock: Number(r.safety_stock), on_hand: Number(r.on_hand), incoming: Number(r.incoming), shortfall: Number(r.shortfall), quantity: Number(r.quantity),
  }));
}
