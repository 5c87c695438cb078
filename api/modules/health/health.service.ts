import { desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';
import { dataHealthRuns } from '../../../db/schema/index.js';
import type { Ctx } from '../../lib/context.js';
import { allowLongStatements } from '../../lib/sql.js';
import { moneyBackChecks } from '../refunds/refunds.health.js';
import { gatewayChecks } from '../gateway/gateway.health.js';
import { disputeChecks } from '../disputes/disputes.health.js';
import { earningsChecks } from '../earnings/earnings.health.js';
import { inventoryChecks } from '../inventory/inventory.health.js';
import { accountEvents, refundsPending } from '../statements/account-events.js';

export interface HealthCheck {
  name: string;
  label: string;
  count: number;
  /** Up to five ids of the broken rows (for numbering gaps: "series/year#missing number"). */
  examples: string[];
}

export interface DataHealth {
  ok: boolean;
  checks: HealthCheck[];
}

export interface CheckSpec {
  name: string;
  label: string;
  /** A query whose rows are the broken ones, each with a text column `id`. */
  broken: SQL;
}

// Every broken link the order -> delivery -> billing -> invoice chain could have. Constraints and triggers make
// most of them impossible; these queries do not trust that, so they would still find rows written with the rules
// bypassed (triggers disabled, a restore without constraints, a bug in a migration).
const checks: CheckSpec[] = [
  {
    name: 'orders_without_customer',
    label: 'Orders whose customer does not exist',
    broken: sql`select o.id::text as id from orders o where not exists (select 1 from customers c where c.id = o.customer_id)`,
  },
  {
    name: 'orders_address_not_customers',
    label: "Orders delivered to an address that is not the customer's",
    broken: sql`select o.id::text as id from orders o
      where not exists (select 1 from addresses a where a.id = o.address_id and a.customer_id = o.customer_id)`,
  },
  {
    name: 'subscription_orders_without_subscription',
    label: "Subscription orders without a subscription of the order's customer (or one-time orders with one)",
    broken: sql`select o.id::text as id from orders o
      where (o.kind = 'subscription' and not exists (select 1 from subscriptions s where s.id = o.subscription_id and s.customer_id = o.customer_id))
         or (o.kind = 'one_time' and o.subscription_id is not null)`,
  },
  {
    name: 'orders_total_differs_from_items',
    label: 'Orders whose total differs from the sum of their items',
    broken: sql`select o.id::text as id from orders o
      left join (select order_id, sum(quantity::bigint * unit_price_paise) as total from order_items group by order_id) i on i.order_id = o.id
      where o.total_paise <> coalesce(i.total, 0)`,
  },
  {
    name: 'deliveries_without_order',
    label: 'Deliveries without an order',
    broken: sql`select d.id::text as id from deliveries d where not exists (select 1 from orders o where o.id = d.order_id)`,
  },
  {
    name: 'delivered_items_without_billing',
    label: 'Delivered items (quantity > 0) without a billing record',
    broken: sql`select di.id::text as id from delivery_items di
      where di.quantity > 0 and not exists (select 1 from billing_records b where b.delivery_item_id = di.id)`,
  },
  {
    name: 'billing_without_delivered_item',
    label: 'Billing records without a delivered item of the same quantity',
    broken: sql`select b.id::text as id from billing_records b
      where not exists (select 1 from delivery_items di where di.id = b.delivery_item_id and di.quantity = b.quantity)`,
  },
  {
    name: 'duplicate_billing',
    label: 'Delivered items billed more than once',
    broken: sql`select delivery_item_id::text as id from billing_records group by delivery_item_id having count(*) > 1`,
  },
  {
    name: 'billing_on_void_invoice',
    label: 'Billing records still on a void invoice',
    broken: sql`select b.id::text as id from billing_records b join invoices i on i.id = b.invoice_id where i.status = 'void'`,
  },
  {
    name: 'invoice_total_differs_from_lines',
    label: 'Issued invoices whose total differs from their lines',
    broken: sql`select i.id::text as id from invoices i
      left join (select invoice_id, sum(total_paise::bigint) as total from invoice_lines group by invoice_id) l on l.invoice_id = i.id
      where i.status = 'issued' and i.total_paise <> coalesce(l.total, 0)`,
  },
  {
    name: 'invoice_total_differs_from_billing',
    label: 'Issued invoices whose total differs from their billing records',
    broken: sql`select i.id::text as id from invoices i
      left join (select invoice_id, sum(total_paise::bigint) as total from billing_records where invoice_id is not null group by invoice_id) b on b.invoice_id = i.id
      where i.status = 'issued' and i.total_paise <> coalesce(b.total, 0)`,
  },
  {
    name: 'billing_not_matching_delivery',
    label: "Billing records whose order, customer, product, price or date are not their delivered item's",
    broken: sql`select b.id::text as id from billing_records b
      join delivery_items di on di.id = b.delivery_item_id
      join order_items oi on oi.id = di.order_item_id
      join orders o on o.id = di.order_id
      join deliveries d on d.id = di.delivery_id
      where (b.order_id, b.customer_id, b.product_id, b.unit_price_paise, b.service_date)
            is distinct from (di.order_id, o.customer_id, oi.product_id, oi.unit_price_paise, d.delivered_on)`,
  },
  {
    name: 'order_status_not_delivery',
    label: "Orders whose status is not their delivery's outcome (settled without it, or pending and cancelled with one)",
    broken: sql`select o.id::text as id from orders o left join deliveries d on d.order_id = o.id
      where (o.status in ('pending', 'cancelled') and coalesce(d.status, 'pending') <> 'pending')
         or (o.status not in ('pending', 'cancelled') and d.status is distinct from
             (case o.status when 'delivered' then 'delivered' when 'partially_delivered' then 'partial' else 'failed' end)::delivery_status)`,
  },
  {
    name: 'delivery_quantities_not_status',
    label: 'Confirmed deliveries whose quantities do not say their status (an item missing or added, delivered but short, partial with nothing)',
    broken: sql`select d.id::text as id from deliveries d
      join order_items oi on oi.order_id = d.order_id
      left join delivery_items di on di.order_item_id = oi.id and di.delivery_id = d.id
      where d.status in ('delivered', 'partial')
      group by d.id, d.status
      having count(di.id) <> count(*)
          or (d.status = 'delivered' and count(*) filter (where di.quantity = oi.quantity) <> count(*))
          or (d.status = 'partial' and (count(*) filter (where di.quantity > 0) = 0 or count(*) filter (where di.quantity = oi.quantity) = count(*)))`,
  },
  {
    name: 'orders_delivery_missing_or_moved',
    label: 'Orders (not cancelled) without their one delivery, with several, or whose delivery is dated otherwise',
    broken: sql`select o.id::text as id from orders o left join deliveries d on d.order_id = o.id
      group by o.id, o.status, o.delivery_date
      having (count(d.id) = 0 and o.status <> 'cancelled') or count(d.id) > 1 or bool_or(d.order_date <> o.delivery_date)`,
  },
  {
    name: 'subscription_orders_off_plan',
    label: "Pending subscription orders not at their subscription's address or product",
    broken: sql`select distinct o.id::text as id from orders o
      join subscriptions s on s.id = o.subscription_id
      join order_items oi on oi.order_id = o.id
      where o.status = 'pending' and (o.address_id <> s.address_id or oi.product_id <> s.product_id)`,
  },
  {
    name: 'billing_not_matching_invoice',
    label: "Billing records on an invoice of another customer, or outside its period",
    broken: sql`select b.id::text as id from billing_records b join invoices i on i.id = b.invoice_id
      where b.customer_id <> i.customer_id or b.service_date not between i.period_start and i.period_end`,
  },
  {
    name: 'invoices_inconsistent',
    label: 'Invoices whose number is not series/year/seq, whose year is not their date\'s, or issued with a void reason',
    broken: sql`select i.id::text as id from invoices i
      where i.number <> i.series || '/' || i.financial_year || '/' || lpad(i.seq::text, 6, '0')
         or i.financial_year <> lpad((extract(year from i.invoice_date - interval '3 months')::int % 100)::text, 2, '0') || '-'
                                 || lpad(((extract(year from i.invoice_date - interval '3 months')::int + 1) % 100)::text, 2, '0')
         or (i.status = 'issued' and (i.void_reason is not null or i.voided_at is not null or i.voided_by is not null))`,
  },
  {
    name: 'absurd_magnitudes',
    label: 'Rows beyond the business bounds (prices, quantities, totals, dates, invoice-run counts)',
    broken: sql`select id::text as id from products where price_paise not between 0 and 10000000
      union all select id::text from order_items where quantity not between 1 and 1000 or unit_price_paise not between 0 and 10000000
      union all select id::text from orders where total_paise not between 0 and 100000000 or delivery_date not between '2000-01-01' and '2100-12-31'
      union all select id::text from subscription_pauses where from_date < '2000-01-01' or to_date > '2100-12-31'
      union all select id::text from invoice_runs where amount_paise < 0 or processed_customers not between 0 and total_customers
      union all select id::text from invoices where total_paise > 1000000000 or seq > 999999`,
  },
  {
    name: 'gst_rates_not_in_list',
    label: 'Products on a GST rate not in use, or records and lines on a rate not in the list',
    broken: sql`select p.id::text as id from products p where not exists (select 1 from gst_rates g where g.rate_bp = p.gst_rate_bp and g.in_use)
      union all select b.id::text from billing_records b where not exists (select 1 from gst_rates g where g.rate_bp = b.gst_rate_bp)
      union all select l.id::text from invoice_lines l where not exists (select 1 from gst_rates g where g.rate_bp = l.gst_rate_bp)`,
  },
  {
    name: 'dashboard_totals_drift',
    label: "Dashboard totals (kept per day by triggers) that differ from a recount of their rows",
    // The view recounts deliveries, billing records and invoices per day (and unbilled records per customer).
    broken: sql`select totals || ' ' || key as id from dashboard_totals_drift`,
  },
  {
    name: 'analytics_totals_drift',
    label: 'Analytics totals (kept per day, zone and product by triggers) that differ from a recount of their rows',
    // The view recounts billing records per day, zone and product, the days each customer was billed, and deliveries per day and zone.
    broken: sql`select totals || ' ' || key as id from analytics_totals_drift`,
  },
  {
    name: 'invoice_number_gaps',
    label: 'Missing numbers in a document series (per series and financial year)',
    // Every number from 1 to the last one used or handed out (document_series.next_seq - 1) must be on an invoice.
    broken: sql`with used as (
        select series, financial_year, max(seq) as top from invoices group by series, financial_year
      ), bounds as (
        select coalesce(u.series, s.series) as series, coalesce(u.financial_year, s.financial_year) as financial_year,
               greatest(coalesce(u.top, 0), coalesce(s.next_seq - 1, 0)) as top
        from used u full join document_series s on s.series = u.series and s.financial_year = u.financial_year
      )
      select b.series || '/' || b.financial_year || '#' || g.n as id
      from bounds b cross join lateral generate_series(1, b.top) as g(n)
      where not exists (select 1 from invoices i where i.series = b.series and i.financial_year = b.financial_year and i.seq = g.n)`,
  },
  ...moneyBackChecks,
  ...gatewayChecks,
  ...disputeChecks,
  ...earningsChecks,
  ...inventoryChecks,
  // Money in (issue 12): what the triggers keep (paid, allocated, remaining, balances) recomputed from the rows, and
  // every customer's statement against their balances.
  {
    name: 'payments_over_applied',
    label: "Payments whose allocations and wallet credit pass the amount, or differ from what the payment records",
    broken: sql`select p.id::text as id from payments p
      left join (select payment_id, sum(amount_paise) as s from payment_allocations where reversed_at is null and payment_id is not null group by payment_id) a on a.payment_id = p.id
      left join (select payment_id, sum(amount_paise) as s from wallet_lots where payment_id is not null group by payment_id) l on l.payment_id = p.id
      where coalesce(a.s, 0) + coalesce(l.s, 0) > p.amount_paise or coalesce(a.s, 0) <> p.allocated_paise or coalesce(l.s, 0) <> p.credited_paise`,
  },
  {
    name: 'payments_not_applied',
    label: 'Money in hand not wholly settling invoices, held as credit or refunded, or a bounced cheque still settling or credited',
    broken: sql`select p.id::text as id from payments p
      where (p.status in ('captured', 'refunded') and p.cheque_status is distinct from 'bounced' and p.allocated_paise + p.credited_paise + p.refunded_paise <> p.amount_paise)
         or (p.cheque_status = 'bounced' and (p.allocated_paise <> 0 or exists (select 1 from wallet_lots l where l.payment_id = p.id and l.remaining_paise <> 0)))`,
  },
  {
    name: 'invoices_paid_not_allocations',
    label: 'Invoices whose paid amount is not their live allocations, passes their total, or stays on a void invoice',
    broken: sql`select i.id::text as id from invoices i
      left join (select invoice_id, sum(amount_paise) as s from payment_allocations where reversed_at is null group by invoice_id) a on a.invoice_id = i.id
      where i.paid_paise <> coalesce(a.s, 0) or i.paid_paise + i.credited_paise > i.total_paise or (i.status = 'void' and i.paid_paise <> 0)`,
  },
  {
    name: 'allocations_across_customers',
    label: "Allocations settling another customer's invoice, from another customer's payment or credit, or from money not in hand",
    broken: sql`select a.id::text as id from payment_allocations a
      join invoices i on i.id = a.invoice_id
      left join payments p on p.id = a.payment_id
      left join wallet_transactions t on t.id = a.wallet_transaction_id
      where i.customer_id <> a.customer_id or p.customer_id <> a.customer_id or t.customer_id <> a.customer_id
         or (t.id is not null and (t.kind <> 'debit' or t.amount_paise <> a.amount_paise or t.invoice_id <> a.invoice_id))
         or (a.reversed_at is null and p.id is not null and (p.status <> 'captured' or p.cheque_status = 'bounced'))`,
  },
  {
    name: 'wallet_lots_off_ledger',
    label: 'Wallet lots below zero, above their amount, not credited once, or whose balance is not the sum of their ledger',
    broken: sql`select l.id::text as id from wallet_lots l
      left join (select lot_id, sum(case when kind in ('credit', 'reinstate') then amount_paise else -amount_paise end) as s,
                        count(*) filter (where kind = 'credit') as credits
                 from wallet_transactions group by lot_id) t on t.lot_id = l.id
      where l.remaining_paise < 0 or l.remaining_paise > l.amount_paise or coalesce(t.s, 0) <> l.remaining_paise or coalesce(t.credits, 0) <> 1`,
  },
  {
    name: 'wallet_spending_not_allocated',
    label: 'Invoices whose wallet debits (less what was given back) are not the wallet credit settling them',
    broken: sql`select coalesce(t.invoice_id, a.invoice_id)::text as id
      from (select invoice_id, sum(case kind when 'debit' then amount_paise else -amount_paise end) as s from wallet_transactions
            where kind in ('debit', 'reinstate') group by invoice_id) t
      full join (select invoice_id, sum(amount_paise) as s from payment_allocations where reversed_at is null and wallet_transaction_id is not null group by invoice_id) a
        on a.invoice_id = t.invoice_id
      where coalesce(t.s, 0) <> coalesce(a.s, 0)`,
  },
  {
    name: 'customer_balances_drift',
    label: "Customers whose kept balances (balance due, open invoices, oldest due date, wallet) are not their invoices' and lots'",
    broken: sql`select coalesce(b.customer_id, x.customer_id)::text as id
      from customer_balances b
      full join (
        select coalesce(i.customer_id, l.customer_id) as customer_id, coalesce(i.due, 0) as due, coalesce(i.open, 0) as open, i.oldest, coalesce(l.wallet, 0) as wallet
        from (select customer_id, sum(balance_due_paise) as due, count(*) as open, min(due_date) as oldest from invoices
              where status = 'issued' and balance_due_paise > 0 group by customer_id) i
        full join (select customer_id, sum(remaining_paise) as wallet from wallet_lots group by customer_id) l on l.customer_id = i.customer_id
      ) x on x.customer_id = b.customer_id
      where (coalesce(b.balance_due_paise, 0), coalesce(b.open_invoices, 0), b.oldest_due_date, coalesce(b.wallet_paise, 0))
            is distinct from (coalesce(x.due, 0), coalesce(x.open, 0)::int, x.oldest, coalesce(x.wallet, 0))`,
  },
  {
    name: 'statements_not_adding_up',
    label: "Customers whose statement (invoices, payments, bounces, credit given and expired, credit notes, refunds paid) does not add up to their balance due less their wallet and refunds on their way back",
    broken: sql`select coalesce(e.customer_id, x.customer_id)::text as id
      from (select customer_id, sum(debit - credit) as closing from (${accountEvents(null)}) ev group by customer_id) e
      full join (
        select coalesce(i.customer_id, l.customer_id, r.customer_id) as customer_id, coalesce(i.due, 0) - coalesce(l.wallet, 0) - coalesce(r.pending, 0) as owed
        from (select customer_id, sum(balance_due_paise) as due from invoices where status = 'issued' group by customer_id) i
        full join (select customer_id, sum(remaining_paise) as wallet from wallet_lots group by customer_id) l on l.customer_id = i.customer_id
        full join (${refundsPending(null)}) r on r.customer_id = coalesce(i.customer_id, l.customer_id)
      ) x on x.customer_id = e.customer_id
      where coalesce(e.closing, 0) <> coalesce(x.owed, 0)`,
  },
];

/** Runs every check: counts and a few examples of each kind of broken row. `ok` when none is found. */
export async function dataHealth(db: Db): Promise<DataHealth> {
  const results: HealthCheck[] = [];
  for (const check of checks) {
    const result = (await db.execute(sql`
      select count(*)::int as count, coalesce((array_agg(id order by id))[1:5], '{}') as examples
      from (${check.broken}) as broken`)) as unknown;
    const [row] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { count: number; examples: string[] | string }[];
    results.push({ name: check.name, label: check.label, count: Number(row.count), examples: parseTextArray(row.examples) });
  }
  return { ok: results.every((r) => r.count === 0), checks: results };
}

/** Drivers return text[] as an array, or (without type parsing) as '{a,b}'. */
function parseTextArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v.map(String);
  const inner = v.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
}

/** The checks as a plain-text table (what `npm run check` prints), with a closing verdict line. */
export function formatHealthReport(health: DataHealth): string {
  const rows = health.checks.map((c) => [c.count === 0 ? 'ok' : 'BROKEN', String(c.count), c.label, c.examples.join(', ')]);
  const header = ['status', 'count', 'check', 'examples'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  const broken = health.checks.filter((c) => c.count > 0).length;
  const verdict = health.ok
    ? `All ${health.checks.length} checks passed: no broken link in the chain.`
    : `${broken} of ${health.checks.length} checks found broken rows.`;
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), '', verdict].join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Background runs: at 50,000 customers the checks read every order, delivery and billing record (15-20 s), so the
// page shows the last finished run at once and a fresh one runs in the background, one at a time.
// ---------------------------------------------------------------------------------------------------

/** A result older than this is refreshed in the background when the page asks for it. */
export const DATA_HEALTH_STALE_MS = 10 * 60_000;
/** A run still "running" after this long died with its process: it no longer blocks a new one. */
const ABANDONED_MS = 30 * 60_000;

export interface DataHealthStatus {
  /** null until a first run has finished. */
  ok: boolean | null;
  checks: HealthCheck[];
  /** When the shown result was finished, and how long its run took. */
  checked_at: string | null;
  took_ms: number | null;
  /** A run is going on now (started then). */
  running: boolean;
  running_since: string | null;
  /** Why the last run failed, when it did. */
  error: string | null;
}

interface RunRow {
  id: string;
  started_at: Date;
  finished_at: Date | null;
  result: DataHealth | null;
  error: string | null;
}

/**
 * The last finished run and whether one is running; starts one in the background when there is no result yet, the
 * last is older than DATA_HEALTH_STALE_MS, or `refresh` asks for it. Never waits for the checks.
 */
export async function dataHealthStatus(ctx: Ctx, opts: { refresh?: boolean } = {}): Promise<DataHealthStatus & { started?: Promise<void> }> {
  let { last, running } = await latestRuns(ctx.db);
  let started: Promise<void> | undefined;
  if (running && Date.now() - running.started_at.getTime() > ABANDONED_MS) running = undefined; // startDataHealthRun ends it
  const stale = !last || Date.now() - (last.finished_at?.getTime() ?? 0) > DATA_HEALTH_STALE_MS;
  if (!running && (opts.refresh || stale)) {
    started = (await startDataHealthRun(ctx))?.done;
    ({ last, running } = await latestRuns(ctx.db));
  }
  const result = last?.result ?? null;
  return {
    ok: result ? result.ok : null,
    checks: result?.checks ?? [],
    checked_at: last?.finished_at?.toISOString() ?? null,
    took_ms: last?.finished_at ? last.finished_at.getTime() - last.started_at.getTime() : null,
    running: Boolean(running),
    running_since: running?.started_at.toISOString() ?? null,
    error: last?.error ?? null,
    ...(started ? { started } : {}),
  };
}

async function latestRuns(db: Db): Promise<{ last: RunRow | undefined; running: RunRow | undefined }> {
  const cols = { id: dataHealthRuns.id, started_at: dataHealthRuns.started_at, finished_at: dataHealthRuns.finished_at, result: dataHealthRuns.result, error: dataHealthRuns.error };
  const [last] = (await db.select(cols).from(dataHealthRuns).where(isNotNull(dataHealthRuns.finished_at)).orderBy(desc(dataHealthRuns.finished_at)).limit(1)) as RunRow[];
  const [running] = (await db.select(cols).from(dataHealthRuns).where(isNull(dataHealthRuns.finished_at)).limit(1)) as RunRow[];
  return { last, running };
}

/**
 * Claims the one running slot (the partial unique index data_health_runs_one_running: a second API process finds it
 * taken and starts nothing) and runs the checks without awaiting them; the promise is for tests and scripts.
 */
export async function startDataHealthRun(ctx: Ctx): Promise<{ done: Promise<void> } | undefined> {
  await ctx.db.execute(sql`update data_health_runs set finished_at = clock_timestamp(), error = 'The run stopped without finishing (its server went away).'
    where finished_at is null and started_at < now() - ${`${ABANDONED_MS} milliseconds`}::interval`);
  const [claimed] = await ctx.db.insert(dataHealthRuns).values({ started_by: ctx.actor?.id ?? null }).onConflictDoNothing().returning({ id: dataHealthRuns.id });
  if (!claimed) return undefined;
  const db = ctx.db;
  const finish = async () => {
    try {
      // One snapshot for all checks, and a job's statement timeout instead of a request's.
      const health = await db.transaction(async (tx) => {
        await allowLongStatements(tx as unknown as Db);
        return dataHealth(tx as unknown as Db);
      }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
      await db.update(dataHealthRuns).set({ finished_at: sql`clock_timestamp()`, result: health }).where(eq(dataHealthRuns.id, claimed.id));
    } catch (err) {
      ctx.log.error({ err }, 'data health run failed');
      await db
        .update(dataHealthRuns)
        .set({ finished_at: sql`clock_timestamp()`, error: `The checks could not run: ${err instanceof Error ? err.message : String(err)}` })
        .where(eq(dataHealthRuns.id, claimed.id))
        .catch(() => undefined);
    }
  };
  // Not awaited: the request answers now; the run records its own end.
  return { done: finish() };
}
