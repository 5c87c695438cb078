import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/client.js';

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

interface CheckSpec {
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
