import { and, sql, type SQL } from 'drizzle-orm';
import { customerBalances, customers, zones } from '../../../db/schema/index.js';
import type { Ctx } from '../../lib/context.js';
import { listRows, type ListPage, type Resource, type Row } from '../../lib/crud.js';
import { todayIST } from '../../lib/dates.js';
import type { ListQuery } from '../../lib/rest.js';
import { rowsOf } from '../../lib/sql.js';

// Receivables: every customer's balance due, aged by how far past due each open invoice is. A row is a customer's
// balances row (customer_balances, kept by triggers as invoices and wallet lots change), so the list filters and
// sorts 50,000 customers by index; the aging of the 25 rows of a page is read from their open invoices
// (invoices_open_idx), never for the whole list.

export const agingBuckets = ['not_due', 'd1_30', 'd31_60', 'd61_90', 'over_90'] as const;

/** Sum of a customer's open balance due whose days past due (as of today, IST) fall in [lo, hi]. */
const bucket = (lo: number | null, hi: number | null) => {
  const today = sql.raw(`'${todayIST()}'::date`);
  const range = [lo === null ? null : sql`${today} - i.due_date >= ${lo}`, hi === null ? null : sql`${today} - i.due_date <= ${hi}`].filter(Boolean) as SQL[];
  return sql<number>`(select coalesce(sum(i.balance_due_paise), 0)::bigint from invoices i
    where i.customer_id = customer_balances.customer_id and i.status = 'issued' and i.balance_due_paise > 0 and ${sql.join(range, sql` and `)})`;
};

const col = {
  customer_name: sql<string>`(select ${customers.name} from ${customers} where ${customers.id} = ${customerBalances.customer_id})`,
  phone: sql<string>`(select ${customers.phone} from ${customers} where ${customers.id} = ${customerBalances.customer_id})`,
  zone_id: sql<string>`(select ${customers.zone_id} from ${customers} where ${customers.id} = ${customerBalances.customer_id})`,
  zone_name: sql<string>`(select z.name from customers c join zones z on z.id = c.zone_id where c.id = customer_balances.customer_id)`,
  net_paise: sql<number>`(${customerBalances.balance_due_paise} - ${customerBalances.wallet_paise})`,
};
export const receivableColumns = col;

/** A receivables row is computed per request (its buckets move with the calendar), so `today` is read at each call. */
export function receivablesResource(): Resource {
  return {
    name: 'receivables',
    label: 'Receivable',
    table: customerBalances as unknown as Resource['table'],
    key: customerBalances.customer_id,
    selection: {
      id: customerBalances.customer_id,
      customer_id: customerBalances.customer_id,
      customer_name: col.customer_name.as('customer_name'),
      phone: col.phone.as('phone'),
      zone_id: col.zone_id.as('zone_id'),
      zone_name: col.zone_name.as('zone_name'),
      balance_due_paise: customerBalances.balance_due_paise,
      open_invoices: customerBalances.open_invoices,
      oldest_due_date: customerBalances.oldest_due_date,
      days_past_due: sql<number | null>`greatest(${sql.raw(`'${todayIST()}'::date`)} - ${customerBalances.oldest_due_date}, 0)`.as('days_past_due'),
      wallet_paise: customerBalances.wallet_paise,
      net_paise: col.net_paise.as('net_paise'),
      not_due_paise: bucket(null, 0).as('not_due_paise'),
      d1_30_paise: bucket(1, 30).as('d1_30_paise'),
      d31_60_paise: bucket(31, 60).as('d31_60_paise'),
      d61_90_paise: bucket(61, 90).as('d61_90_paise'),
      over_90_paise: bucket(91, null).as('over_90_paise'),
      updated_at: customerBalances.updated_at,
    },
  };
}

/** Customers who owe something or hold credit: the rest have nothing to show. */
export const hasBalance = sql`(${customerBalances.balance_due_paise} > 0 or ${customerBalances.wallet_paise} > 0)`;

export async function listReceivables(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  const page = await listRows(ctx, receivablesResource(), { ...query, where: and(hasBalance, query.where) });
  return { ...page, rows: page.rows.map(numericReceivable) };
}

const numeric = ['balance_due_paise', 'wallet_paise', 'net_paise', 'not_due_paise', 'd1_30_paise', 'd31_60_paise', 'd61_90_paise', 'over_90_paise', 'days_past_due'];
/** Sums and differences arrive as bigint text from the driver: numbers, as the schema says. */
export function numericReceivable(row: Row): Row {
  for (const k of numeric) if (row[k] !== null && row[k] !== undefined) row[k] = Number(row[k]);
  return row;
}

export interface ZoneTotals {
  zone_id: string | null;
  zone_name: string;
  customers: number;
  balance_due_paise: number;
  wallet_paise: number;
  not_due_paise: number;
  d1_30_paise: number;
  d31_60_paise: number;
  d61_90_paise: number;
  over_90_paise: number;
}

/**
 * Totals by zone (every zone, zero where nothing is due) and the grand total: one pass over the open invoices
 * (invoices_open_idx, a partial index of what is unpaid) and the customers holding credit.
 */
export async function receivablesByZone(ctx: Ctx): Promise<{ as_of: string; zones: ZoneTotals[]; total: ZoneTotals }> {
  const today = todayIST();
  const rows = rowsOf<Record<string, string | number | null>>(
    await ctx.db.execute(sql`
      with open as (
        select c.zone_id, i.customer_id, i.balance_due_paise as due, ${today}::date - i.due_date as late
        from invoices i join customers c on c.id = i.customer_id
        where i.status = 'issued' and i.balance_due_paise > 0
      ), due as (
        select zone_id, count(distinct customer_id) as customers, sum(due) as balance_due_paise,
               sum(due) filter (where late <= 0) as not_due_paise,
               sum(due) filter (where late between 1 and 30) as d1_30_paise,
               sum(due) filter (where late between 31 and 60) as d31_60_paise,
               sum(due) filter (where late between 61 and 90) as d61_90_paise,
               sum(due) filter (where late > 90) as over_90_paise
        from open group by zone_id
      ), credit as (
        select c.zone_id, sum(b.wallet_paise) as wallet_paise
        from ${customerBalances} b join ${customers} c on c.id = b.customer_id
        where b.wallet_paise > 0 group by c.zone_id
      )
      select z.id as zone_id, z.name as zone_name, coalesce(d.customers, 0) as customers, coalesce(d.balance_due_paise, 0) as balance_due_paise,
             coalesce(cr.wallet_paise, 0) as wallet_paise, coalesce(d.not_due_paise, 0) as not_due_paise, coalesce(d.d1_30_paise, 0) as d1_30_paise,
             coalesce(d.d31_60_paise, 0) as d31_60_paise, coalesce(d.d61_90_paise, 0) as d61_90_paise, coalesce(d.over_90_paise, 0) as over_90_paise
      from ${zones} z left join due d on d.zone_id = z.id left join credit cr on cr.zone_id = z.id
      order by coalesce(d.balance_due_paise, 0) desc, z.name`),
  );
  const zonesOut: ZoneTotals[] = rows.map((r) => ({
    zone_id: r.zone_id as string,
    zone_name: r.zone_name as string,
    customers: Number(r.customers),
    balance_due_paise: Number(r.balance_due_paise),
    wallet_paise: Number(r.wallet_paise),
    not_due_paise: Number(r.not_due_paise),
    d1_30_paise: Number(r.d1_30_paise),
    d31_60_paise: Number(r.d31_60_paise),
    d61_90_paise: Number(r.d61_90_paise),
    over_90_paise: Number(r.over_90_paise),
  }));
  const sum = (k: keyof ZoneTotals) => zonesOut.reduce((s, z) => s + (z[k] as number), 0);
  const total: ZoneTotals = {
    zone_id: null,
    zone_name: 'All zones',
    customers: sum('customers'),
    balance_due_paise: sum('balance_due_paise'),
    wallet_paise: sum('wallet_paise'),
    not_due_paise: sum('not_due_paise'),
    d1_30_paise: sum('d1_30_paise'),
    d31_60_paise: sum('d31_60_paise'),
    d61_90_paise: sum('d61_90_paise'),
    over_90_paise: sum('over_90_paise'),
  };
  return { as_of: today, zones: zonesOut, total };
}
