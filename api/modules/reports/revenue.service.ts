import { sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { monthBounds } from '../../lib/dates.js';
import { unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';

export const revenueGroupings = ['month', 'zone', 'product'] as const;
export type RevenueGrouping = (typeof revenueGroupings)[number];

export interface RevenueRow {
  /** The month (YYYY-MM), zone id or product id. */
  key: string;
  label: string;
  invoices: number;
  quantity: number;
  /** Taxable and exempt value together: what was sold before tax. */
  value_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
}
export interface Revenue {
  from: string;
  to: string;
  by: RevenueGrouping;
  rows: RevenueRow[];
  totals: Omit<RevenueRow, 'key' | 'label' | 'quantity'>;
}

/** A range longer than this is refused: the register is for a few months to a financial year or two. */
export const MAX_MONTHS = 36;

const keys: Record<RevenueGrouping, { key: SQL; label: SQL; join: SQL }> = {
  month: { key: sql`to_char(i.invoice_date, 'YYYY-MM')`, label: sql`to_char(i.invoice_date, 'YYYY-MM')`, join: sql`` },
  // The customer's zone today (invoices keep no zone): a customer moved between zones counts in the new one.
  zone: { key: sql`z.id::text`, label: sql`z.name`, join: sql`join customers c on c.id = i.customer_id join zones z on z.id = c.zone_id` },
  product: { key: sql`p.id::text`, label: sql`p.name`, join: sql`join products p on p.id = l.product_id` },
};

/**
 * Revenue of issued invoices dated from..to (months, inclusive) by month, zone or product, from the invoice lines in
 * one aggregate; void invoices are left out. The totals are the invoices' own, so the rows add up to them.
 */
export async function revenue(ctx: Ctx, input: { from: string; to: string; by: RevenueGrouping }): Promise<Revenue> {
  if (input.to < input.from) throw unprocessable('The range ends before it starts: "to" must be the same month as "from" or later.', 'range_reversed');
  const [fy, fm] = input.from.split('-').map(Number);
  const [ty, tm] = input.to.split('-').map(Number);
  if ((ty - fy) * 12 + (tm - fm) + 1 > MAX_MONTHS) throw unprocessable(`At most ${MAX_MONTHS} months at a time.`, 'range_too_long');
  const start = monthBounds(input.from).start;
  const end = monthBounds(input.to).end;
  const g = keys[input.by];
  const [rows, totals] = await Promise.all([
    ctx.db.execute(sql`
      select ${g.key} as key, ${g.label} as label, count(distinct i.id)::int as invoices, sum(l.quantity)::bigint as quantity,
             sum(l.taxable_paise)::bigint as value_paise, sum(l.cgst_paise)::bigint as cgst_paise, sum(l.sgst_paise)::bigint as sgst_paise,
             sum(l.total_paise)::bigint as total_paise
      from invoices i join invoice_lines l on l.invoice_id = i.id ${g.join}
      where i.invoice_date between ${start}::date and ${end}::date and i.status = 'issued'
      group by 1, 2
      order by ${input.by === 'month' ? sql`1` : sql`total_paise desc, 2`}`),
    ctx.db.execute(sql`
      select count(*)::int as invoices, coalesce(sum(taxable_paise + exempt_paise), 0)::bigint as value_paise,
             coalesce(sum(cgst_paise), 0)::bigint as cgst_paise, coalesce(sum(sgst_paise), 0)::bigint as sgst_paise, coalesce(sum(total_paise), 0)::bigint as total_paise
      from invoices i
      where i.invoice_date between ${start}::date and ${end}::date and i.status = 'issued'`),
  ]);
  const n = (v: unknown) => Number(v ?? 0);
  const t = rowsOf<Record<string, unknown>>(totals)[0] ?? {};
  return {
    from: input.from,
    to: input.to,
    by: input.by,
    rows: rowsOf<Record<string, unknown>>(rows).map((r) => ({
      key: String(r.key),
      label: String(r.label),
      invoices: n(r.invoices),
      quantity: n(r.quantity),
      value_paise: n(r.value_paise),
      cgst_paise: n(r.cgst_paise),
      sgst_paise: n(r.sgst_paise),
      total_paise: n(r.total_paise),
    })),
    totals: { invoices: n(t.invoices), value_paise: n(t.value_paise), cgst_paise: n(t.cgst_paise), sgst_paise: n(t.sgst_paise), total_paise: n(t.total_paise) },
  };
}
