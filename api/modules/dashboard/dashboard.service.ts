import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { addDays, monthBounds, todayIST } from '../../lib/dates.js';
import { oneRow, rowsOf } from '../../lib/sql.js';

export interface Dashboard {
  /** IST day the figures are for. */
  today: string;
  /** YYYY-MM of today. */
  month: string;
  /** Deliveries of today's orders (cancelled orders left out); partial counts as delivered and is shown apart too. */
  deliveries_today: { pending: number; delivered: number; partial: number; failed: number; total: number };
  /** Billing records of this month's service days: what was delivered and is (or will be) billed. */
  billed_this_month: { records: number; amount_paise: number };
  /** Billing records on no invoice yet (legacy-billed ones excluded: they are never invoiced), any month. */
  unbilled: { records: number; amount_paise: number; customers: number; oldest_service_date: string | null };
  /** Issued (not void) invoices dated this month. */
  invoices_this_month: { count: number; amount_paise: number };
  /** The last 30 days, oldest first: delivered value (billing totals incl. GST) per service day, zero on quiet days. */
  daily: { date: string; delivered_paise: number; deliveries: number }[];
}

// Amounts are summed as bigint (a month of a large business passes 2^31 paise) and read back as numbers (< 2^53).
const n = (v: unknown) => Number(v ?? 0);

/**
 * The start page's figures, read from the totals the database keeps per day as rows are written (db/schema/totals.ts,
 * migration dashboard_totals): a few hundred rows whatever the size of the business, instead of a month of billing records.
 */
export async function dashboard(ctx: Ctx, opts: { today?: string } = {}): Promise<Dashboard> {
  const today = opts.today ?? todayIST();
  const month = today.slice(0, 7);
  const { start, end } = monthBounds(month);
  const from = addDays(today, -29);

  const [figuresResult, dailyResult] = await Promise.all([
    ctx.db.execute(sql`
      with days as (
        select service_date, sum(unbilled_records) as unbilled_records from billing_day_totals group by service_date
      )
      select d.pending, d.delivered + d.partial as delivered, d.partial, d.failed, d.pending + d.delivered + d.partial + d.failed as total,
             b.records as billed_records, b.amount_paise as billed_paise,
             u.records as unbilled_records, u.amount_paise as unbilled_paise,
             (select count(*) from customer_unbilled where records > 0)::int as unbilled_customers,
             (select min(service_date) from days where unbilled_records > 0)::text as oldest_unbilled,
             i.count as invoices, i.amount_paise as invoiced_paise
      from (select coalesce(sum(pending), 0)::int as pending, coalesce(sum(delivered), 0)::int as delivered,
                   coalesce(sum(partial), 0)::int as partial, coalesce(sum(failed), 0)::int as failed
            from delivery_day_counts where order_date = ${today}) d,
           (select coalesce(sum(records), 0)::int as records, coalesce(sum(amount_paise), 0)::bigint as amount_paise
            from billing_day_totals where service_date between ${start} and ${end}) b,
           (select coalesce(sum(unbilled_records), 0)::int as records, coalesce(sum(unbilled_paise), 0)::bigint as amount_paise
            from billing_day_totals) u,
           (select coalesce(sum(issued), 0)::int as count, coalesce(sum(issued_paise), 0)::bigint as amount_paise
            from invoice_day_totals where invoice_date between ${start} and ${end}) i`),
    ctx.db.execute(sql`
      select g.day::date::text as date, coalesce(b.amount, 0)::bigint as delivered_paise, coalesce(b.orders, 0)::int as deliveries
      from generate_series(${from}::date, ${today}::date, interval '1 day') as g(day)
      left join (
        select service_date, sum(amount_paise) as amount, sum(orders) as orders
        from billing_day_totals where service_date between ${from} and ${today} group by service_date
      ) b on b.service_date = g.day::date
      order by g.day`),
  ]);
  const f = oneRow<Record<string, unknown>>(figuresResult);
  const daily = rowsOf<{ date: string; delivered_paise: unknown; deliveries: unknown }>(dailyResult);

  return {
    today,
    month,
    deliveries_today: { pending: n(f.pending), delivered: n(f.delivered), partial: n(f.partial), failed: n(f.failed), total: n(f.total) },
    billed_this_month: { records: n(f.billed_records), amount_paise: n(f.billed_paise) },
    unbilled: {
      records: n(f.unbilled_records),
      amount_paise: n(f.unbilled_paise),
      customers: n(f.unbilled_customers),
      oldest_service_date: (f.oldest_unbilled as string | null) ?? null,
    },
    invoices_this_month: { count: n(f.invoices), amount_paise: n(f.invoiced_paise) },
    daily: daily.map((d) => ({ date: d.date, delivered_paise: n(d.delivered_paise), deliveries: n(d.deliveries) })),
  };
}
