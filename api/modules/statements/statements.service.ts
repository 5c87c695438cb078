import { asc, desc, eq, sql } from 'drizzle-orm';
import { addresses, customerBalances, customers, zones } from '../../../db/schema/index.js';
import type { Ctx } from '../../lib/context.js';
import { addDays, daysBetween, monthBounds, todayIST } from '../../lib/dates.js';
import { notFound, unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { accountEvents, refundsPending } from './account-events.js';

export type LineKind = 'invoice' | 'invoice_void' | 'payment' | 'cheque_bounced' | 'wallet_credit' | 'wallet_expired' | 'wallet_withdrawn' | 'wallet_applied' | 'credit_note' | 'refund' | 'refund_failed';

export interface StatementLine {
  date: string;
  kind: LineKind;
  description: string;
  reference: string | null;
  document_id: string;
  debit_paise: number;
  credit_paise: number;
  /** What the customer owes after this line (negative: in credit). */
  balance_paise: number;
  /** Memo lines only (wallet credit spent on an invoice): the amount moved, which changes no balance. */
  memo_paise: number | null;
}

export interface Statement {
  customer: { id: string; name: string; phone: string; email: string | null; zone_name: string; address: string[] };
  from: string;
  to: string;
  opening_balance_paise: number;
  lines: StatementLine[];
  total_debit_paise: number;
  total_credit_paise: number;
  closing_balance_paise: number;
  /** Now, whatever the range: the open invoices' balance due and the wallet credit. */
  balance_due_paise: number;
  wallet_paise: number;
  /** Now: refunds approved whose money has not gone back yet (approved, at the gateway). */
  refunds_pending_paise: number;
  generated_at: string;
}

/** The longest range a statement covers: ten years, so one request stays one customer's few hundred lines. */
const MAX_DAYS = 3660;

const methods: Record<string, string> = { cash: 'cash', upi: 'UPI', bank_transfer: 'bank transfer', cheque: 'cheque', gateway: 'online (gateway)' };
const sources: Record<string, string> = { promo: 'Promotional credit', refund: 'Refund to wallet', overpayment: 'Credit', top_up: 'Top-up' };
const rupees = (paise: number) => new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(paise / 100);

function describe(kind: LineKind, reference: string | null, detail: string | null, memo: number | null): string {
  switch (kind) {
    case 'invoice':
      return `Invoice ${reference} (${detail})`;
    case 'invoice_void':
      return `Invoice ${reference} voided${detail ? `: ${detail}` : ''}`;
    case 'payment': {
      const how = methods[detail ?? ''] ?? detail;
      return `Payment received by ${how}${reference ? `, ref. ${reference}` : ''}`;
    }
    case 'cheque_bounced':
      return `Cheque ${reference} bounced${detail ? `: ${detail}` : ''}; its payment is reversed`;
    case 'wallet_credit': {
      const [source, ...note] = (detail ?? '').split(': ');
      return `${sources[source] ?? 'Credit'} added to the wallet${note.length ? ` (${note.join(': ')})` : ''}`;
    }
    case 'wallet_expired':
      return 'Wallet credit expired unused';
    case 'wallet_withdrawn':
      return `Wallet credit withdrawn${detail ? `: ${detail}` : ''}`;
    case 'wallet_applied':
      return `Wallet credit of ${rupees(memo ?? 0)} applied to invoice ${reference}`;
    case 'credit_note':
      return `Credit note ${reference} against invoice ${detail}`;
    case 'refund':
      return detail === 'wallet' ? 'Refund credited to the wallet' : `Refund paid back by ${methods[detail ?? ''] ?? detail}${reference ? `, ref. ${reference}` : ''}`;
    case 'refund_failed':
      return `Refund failed${detail ? ` (${detail})` : ''}: the wallet credit it drew on is given back`;
  }
}

/** The default range: the start of the month three months back to today. */
export function defaultRange(today = todayIST()): { from: string; to: string } {
  const [y, m] = today.split('-').map(Number);
  const start = new Date(Date.UTC(y, m - 1 - 3, 1)).toISOString().slice(0, 10);
  return { from: monthBounds(start).start, to: today };
}

/**
 * A customer's statement of account for a date range: the opening balance (everything before `from`), each line in
 * the range with the running balance, totals and the closing balance (= opening + debits - credits, to the paisa).
 */
export async function statementOf(ctx: Ctx, customerId: string, range: { from?: string; to?: string }): Promise<Statement> {
  const fallback = defaultRange();
  const to = range.to ?? (range.from && range.from > fallback.to ? range.from : fallback.to);
  const from = range.from ?? (to < fallback.from ? addDays(to, -90) : fallback.from);
  if (from > to) throw unprocessable('The statement cannot start after it ends (from is after to).', 'bad_range');
  if (daysBetween(from, to) > MAX_DAYS) throw unprocessable('A statement covers at most ten years: narrow from and to.', 'range_too_long');

  const [customer] = await ctx.db
    .select({ id: customers.id, name: customers.name, phone: customers.phone, email: customers.email, zone_name: zones.name })
    .from(customers)
    .innerJoin(zones, eq(zones.id, customers.zone_id))
    .where(eq(customers.id, customerId));
  if (!customer) throw notFound('Customer');
  const [address] = await ctx.db.select().from(addresses).where(eq(addresses.customer_id, customerId)).orderBy(desc(addresses.is_default), asc(addresses.created_at)).limit(1);
  const [balances] = await ctx.db.select().from(customerBalances).where(eq(customerBalances.customer_id, customerId));

  const [pending] = rowsOf<{ pending: string }>(await ctx.db.execute(refundsPending(customerId)));
  const events = accountEvents(customerId);
  const [{ opening }] = rowsOf<{ opening: string | number }>(
    await ctx.db.execute(sql`select coalesce(sum(debit - credit), 0) as opening from (${events}) e where e.on_date < ${from}::date`),
  );
  const rows = rowsOf<{ on_date: string; kind: LineKind; document_id: string; reference: string | null; debit: string; credit: string; memo: string | null; detail: string | null }>(
    await ctx.db.execute(sql`select on_date::text as on_date, kind, document_id, reference, debit, credit, memo, detail
      from (${events}) e where e.on_date between ${from}::date and ${to}::date
      order by e.on_date, e.at, e.tie, e.document_id`),
  );
  let balance = Number(opening);
  let debits = 0;
  let credits = 0;
  const lines = rows.map((r): StatementLine => {
    const debit = Number(r.debit);
    const credit = Number(r.credit);
    const memo = r.memo === null ? null : Number(r.memo);
    balance += debit - credit;
    debits += debit;
    credits += credit;
    return { date: r.on_date, kind: r.kind, description: describe(r.kind, r.reference, r.detail, memo), reference: r.reference, document_id: r.document_id, debit_paise: debit, credit_paise: credit, balance_paise: balance, memo_paise: memo };
  });
  return {
    customer: {
      ...customer,
      address: address ? [[address.line1, address.line2].filter(Boolean).join(', '), `${address.city} ${address.pin_code}`] : [],
    },
    from,
    to,
    opening_balance_paise: Number(opening),
    lines,
    total_debit_paise: debits,
    total_credit_paise: credits,
    closing_balance_paise: balance,
    balance_due_paise: Number(balances?.balance_due_paise ?? 0),
    wallet_paise: Number(balances?.wallet_paise ?? 0),
    refunds_pending_paise: Number(pending?.pending ?? 0),
    generated_at: new Date().toISOString(),
  };
}
