import { sql, type SQL } from 'drizzle-orm';
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

/** The start page's aggregates may take this long (PostgreSQL), past the API's per-request statement timeout. */
const REPORT_STATEMENT_TIMEOUT = '30s';

// Amounts are summed as bigint (a month of a large business passes 2^31 paise) and read back as numbers (< 2^53).
const n = (v: unknown) => Number(v ?? 0);

/** The start page's figures: a handful of set-based aggregates, each one index-backed by (date, ...) indexes. */
export async function dashboard(ctx: Ctx, opts: { today?: string } = {}): Promise<Dashboard> {
  const today = opts.today ?? todayIST();
  const month = today.slice(0, 7);
  const { start, end } = monthBounds(month);
  const from = addDays(today, -29);

  // Independent aggregates over different rows: on PostgreSQL they run at once on separate pooled connections.
  // Each over a month or more of billing records (1.5 million at 50,000 customers): a report's statement, allowed
  // longer than a request's timeout (a 503 on the start page helps no one) in its own short transaction.
  const report = (query: SQL) =>
    ctx.inTx
      ? ctx.db.execute(query)
      : ctx.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('statement_timeout', ${REPORT_STATEMENT_TIMEOUT}, true)`);
          return tx.execute(query);
        });
  const [deliveriesResult, billedResult, unbilledResult, invoicedResult, dailyResult] = await Promise.all([
    report(sql`
      select count(*) filter (where d.status = 'pending')::int as pending,
             count(*) filter (where d.status in ('delivered', 'partial'))::int as delivered,
             count(*) filter (where d.status = 'partial')::int as partial,
             count(*) filter (where d.status = 'failed')::int as failed,
             count(*)::int as total
      from deliveries d join orders o on o.id = d.order_id
      where d.order_date = ${today} and o.status <> 'cancelled'`),
    report(sql`
      select count(*)::int as records, coalesce(sum(total_paise::bigint), 0)::bigint as amount_paise
      from billing_records where service_date between ${start} and ${end}`),
    report(sql`
      select count(*)::int as records, coalesce(sum(total_paise::bigint), 0)::bigint as amount_paise,
             count(distinct customer_id)::int as customers, min(service_date)::text as oldest
      from billing_records where invoice_id is null and not legacy_billed`),
    report(sql`
      select count(*)::int as count, coalesce(sum(total_paise::bigint), 0)::bigint as amount_paise
      from invoices where status = 'issued' and invoice_date between ${start} and ${end}`),
    report(sql`
      select g.day::date::text as date, coalesce(b.amount, 0)::bigint as delivered_paise, coalesce(b.deliveries, 0)::int as deliveries
      from generate_series(${from}::date, ${today}::date, interval '1 day') as g(day)
      left join (
        select service_date, sum(total_paise::bigint) as amount, count(distinct order_id) as deliveries
        from billing_records where service_date between ${from} and ${today} group by service_date
      ) b on b.service_date = g.day::date
      order by g.day`),
  ]);
  const deliveries = oneRow<Record<string, unknown>>(deliveriesResult);
  const billed = oneRow<Record<string, unknown>>(billedResult);
  const unbilled = oneRow<Record<string, unknown>>(unbilledResult);
  const invoiced = oneRow<Record<string, unknown>>(invoicedResult);
  const daily = rowsOf<{ date: string; delivered_paise: unknown; deliveries: unknown }>(dailyResult);

  return {
    today,
    month,
    deliveries_today: {
      pending: n(deliveries.pending),
      delivered: n(deliveries.delivered),
      partial: n(deliveries.partial),
      failed: n(deliveries.failed),
      total: n(deliveries.total),
    },
    billed_this_month: { records: n(billed.records), amount_paise: n(billed.amount_paise) },
    unbilled: {
      records: n(unbilled.records),
      amount_paise: n(unbilled.amount_paise),
      customers: n(unbilled.customers),
      oldest_service_date: (unbilled.oldest as string | null) ?? null,
    },
    invoices_this_month: { count: n(invoiced.count), amount_paise: n(invoiced.amount_paise) },
    daily: daily.map((d) => ({ date: d.date, delivered_paise: n(d.delivered_paise), deliveries: n(d.deliveries) })),
  };
}
