import { sql } from 'drizzle-orm';
import type { Ctx } from '../../api/lib/context.js';
import { addDays } from '../../api/lib/dates.js';
import { rowsOf } from '../../api/lib/sql.js';
import { forecast } from '../../api/modules/inventory/forecast.service.js';
import { insertPlannedOrders } from '../../api/modules/orders/generate.service.js';
import type { Db } from '../../db/client.js';

export interface ForecastBenchResult {
  from: string;
  days: number;
  rows: number;
  runs_ms: number[];
  median_ms: number;
  /** Units the forecast expects from subscriptions over the days, and what generating those days then created. */
  forecast_units: number;
  generated_units: number;
  /** Every (date, shift, product, depot) equal, checked in SQL against the orders generated in a rolled-back transaction. */
  same: boolean;
  differing: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The 7-day forecast (GET /api/forecast's service) over the whole business, median of `runs`; then, in a transaction
 * rolled back afterwards (the data stays as the other benchmarks expect it), those days' orders generated with the
 * statement order generation runs, and compared with the forecast per date, shift, product and depot.
 */
export async function benchForecast(db: Db, ctx: Ctx, opts: { from: string; days: number; runs: number; log: (l: string) => void }): Promise<ForecastBenchResult> {
  const to = addDays(opts.from, opts.days - 1);
  const runs: number[] = [];
  let rows: Awaited<ReturnType<typeof forecast>> = [];
  for (let k = 0; k < opts.runs; k++) {
    const t0 = performance.now();
    rows = await forecast(ctx, { from: opts.from, days: opts.days });
    runs.push(Math.round(performance.now() - t0));
    opts.log(`    forecast ${opts.from}..${to}: ${rows.length} rows in ${runs[k]} ms`);
  }
  const expected = rows.filter((r) => r.subscription_quantity > 0);
  const forecastUnits = expected.reduce((s, r) => s + r.subscription_quantity, 0);
  let generatedUnits = 0;
  let differing = -1;
  await db
    .transaction(async (tx) => {
      const t = tx as unknown as Db;
      // Days not yet generated only: orders that already exist would not be created again.
      const [existing] = rowsOf<{ n: number }>(await t.execute(sql`select count(*)::int as n from orders where kind = 'subscription' and delivery_date between ${opts.from}::date and ${to}::date`));
      if (existing.n > 0) throw new Error(`${opts.from}..${to} already has subscription orders: the forecast benchmark needs days not generated yet`);
      await insertPlannedOrders({ ...ctx, db: t, inTx: true }, { from: opts.from, to });
      const [made] = rowsOf<{ units: number; differing: number }>(
        await t.execute(sql`
          with made as (
            select o.delivery_date as day, o.shift::text as shift, oi.product_id, z.depot_id, sum(oi.quantity)::int as q
            from orders o join order_items oi on oi.order_id = o.id join customers c on c.id = o.customer_id join zones z on z.id = c.zone_id
            where o.kind = 'subscription' and o.delivery_date between ${opts.from}::date and ${to}::date group by 1, 2, 3, 4
          ), fc as (
            select (e->>'date')::date as day, e->>'shift' as shift, (e->>'product_id')::uuid as product_id, (e->>'depot_id')::uuid as depot_id, (e->>'q')::int as q
            from jsonb_array_elements(${JSON.stringify(expected.map((r) => ({ date: r.date, shift: r.shift, product_id: r.product_id, depot_id: r.depot_id, q: r.subscription_quantity })))}::jsonb) e
          )
          select (select coalesce(sum(q), 0) from made)::int as units,
                 (select count(*) from made m full join fc f on f.day = m.day and f.shift = m.shift and f.product_id = m.product_id and f.depot_id is not distinct from m.depot_id
                  where m.q is distinct from f.q)::int as differing`),
      );
      generatedUnits = made.units;
      differing = made.differing;
      tx.rollback();
    })
    .catch((err: unknown) => {
      if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
    });
  opts.log(`    forecast ${forecastUnits} units; generating those days created ${generatedUnits}; ${differing} (date, shift, product, depot) differ`);
  return { from: opts.from, days: opts.days, rows: rows.length, runs_ms: runs, median_ms: median(runs), forecast_units: forecastUnits, generated_units: generatedUnits, same: differing === 0 && forecastUnits === generatedUnits, differing };
}
