import { sql } from 'drizzle-orm';
import type { Ctx } from '../../lib/context.js';
import { daysBetween } from '../../lib/dates.js';
import { unprocessable } from '../../lib/errors.js';
import { oneRow, rowsOf } from '../../lib/sql.js';
import type { TableColumn } from './table-file.js';

// Finance registers (issue 14 item 4). The sales register is the invoices list itself (invoice by invoice, with its
// filters and its export); this adds its totals for a range of invoice dates. The collections register is the money
// received by day and method, with totals.

/** A register covers at most a year of days (a financial year, or one that straddles two). */
export const MAX_REGISTER_DAYS = 366;

function checkRange(from: string, to: string) {
  if (to < from) throw unprocessable('The range ends before it starts: "to" must be the same day as "from" or later.', 'range_reversed');
  if (daysBetween(from, to) + 1 > MAX_REGISTER_DAYS) throw unprocessable(`At most ${MAX_REGISTER_DAYS} days at a time.`, 'range_too_long');
}
const n = (v: unknown) => Number(v ?? 0);

export interface SalesRegisterTotals {
  from: string;
  to: string;
  /** Issued invoices dated in the range (void ones counted apart, their amounts left out). */
  invoices: number;
  void: number;
  taxable_paise: number;
  exempt_paise: number;
  cgst_paise: number;
  sgst_paise: number;
  total_paise: number;
  paid_paise: number;
  credited_paise: number;
  balance_due_paise: number;
}

export async function salesRegisterTotals(ctx: Ctx, input: { from: string; to: string }): Promise<SalesRegisterTotals> {
  checkRange(input.from, input.to);
  const r = oneRow<Record<string, unknown>>(
    await ctx.db.execute(sql`
      select count(*) filter (where status = 'issued')::int as invoices, count(*) filter (where status = 'void')::int as void,
             coalesce(sum(taxable_paise) filter (where status = 'issued'), 0)::bigint as taxable_paise,
             coalesce(sum(exempt_paise) filter (where status = 'issued'), 0)::bigint as exempt_paise,
             coalesce(sum(cgst_paise) filter (where status = 'issued'), 0)::bigint as cgst_paise,
             coalesce(sum(sgst_paise) filter (where status = 'issued'), 0)::bigint as sgst_paise,
             coalesce(sum(total_paise) filter (where status = 'issued'), 0)::bigint as total_paise,
             coalesce(sum(paid_paise) filter (where status = 'issued'), 0)::bigint as paid_paise,
             coalesce(sum(credited_paise) filter (where status = 'issued'), 0)::bigint as credited_paise,
             coalesce(sum(balance_due_paise) filter (where status = 'issued'), 0)::bigint as balance_due_paise
      from invoices where invoice_date between ${input.from}::date and ${input.to}::date`),
  );
  return {
    from: input.from,
    to: input.to,
    invoices: n(r.invoices),
    void: n(r.void),
    taxable_paise: n(r.taxable_paise),
    exempt_paise: n(r.exempt_paise),
    cgst_paise: n(r.cgst_paise),
    sgst_paise: n(r.sgst_paise),
    total_paise: n(r.total_paise),
    paid_paise: n(r.paid_paise),
    credited_paise: n(r.credited_paise),
    balance_due_paise: n(r.balance_due_paise),
  };
}

const methods = ['cash', 'upi', 'bank_transfer', 'cheque', 'gateway'] as const;
export const collectionsColumns: TableColumn[] = [
  { key: 'date', label: 'Day received', kind: 'date' },
  ...methods.map((m) => ({ key: `${m}_paise`, label: m === 'upi' ? 'UPI' : m === 'bank_transfer' ? 'Bank transfer' : m[0].toUpperCase() + m.slice(1), kind: 'paise' as const })),
  { key: 'payments', label: 'Payments', kind: 'count' },
  { key: 'total_paise', label: 'Total', kind: 'paise' },
];
export interface CollectionsRegister {
  from: string;
  to: string;
  /** Days with money received, oldest first. */
  rows: Record<string, string | number>[];
  totals: Record<string, number>;
}

/**
 * Money received per day (received_on) and method: payments captured (or later refunded: refunds are money going
 * out, on their own register), bounced cheques and failed or unfinished gateway payments left out.
 */
export async function collectionsRegister(ctx: Ctx, input: { from: string; to: string }): Promise<CollectionsRegister> {
  checkRange(input.from, input.to);
  const rows = rowsOf<Record<string, unknown>>(
    await ctx.db.execute(sql`
      select p.received_on::text as date,
             ${sql.join(methods.map((m) => sql`coalesce(sum(p.amount_paise) filter (where p.method = ${m}), 0)::bigint as ${sql.identifier(`${m}_paise`)}`), sql`, `)},
             count(*)::int as payments, sum(p.amount_paise)::bigint as total_paise
      from payments p
      where p.received_on between ${input.from}::date and ${input.to}::date
        and p.status in ('captured', 'refunded') and p.cheque_status is distinct from 'bounced'
      group by p.received_on order by p.received_on`),
  ).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'date' ? String(v) : n(v)])) as Record<string, string | number>);
  const keys = collectionsColumns.filter((c) => c.kind !== 'date').map((c) => c.key);
  const totals = Object.fromEntries(keys.map((k) => [k, rows.reduce((a, r) => a + n(r[k]), 0)]));
  return { from: input.from, to: input.to, rows, totals };
}
