import { sql, type SQL } from 'drizzle-orm';
import { audit } from '../../lib/audit.js';
import type { Ctx } from '../../lib/context.js';
import { unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';
import { createLot } from '../wallets/wallet-ledger.js';

// Allocations: what settles an invoice. Made oldest-first (or chosen first) from a payment's money, reversed (never
// deleted) when that money turns out not to be there (a bounced cheque) or the invoice goes (void). Every function
// runs in the caller's transaction, under its customer lock (customer-lock.ts).

export interface AllocationRow {
  id: string;
  customer_id: string;
  invoice_id: string;
  payment_id: string | null;
  wallet_transaction_id: string | null;
  amount_paise: number;
}

interface OpenInvoice {
  id: string;
  number: string;
  due_date: string;
  balance_due_paise: number;
}

const norm = <T extends { amount_paise?: unknown; balance_due_paise?: unknown }>(r: T): T => ({
  ...r,
  ...(r.amount_paise !== undefined ? { amount_paise: Number(r.amount_paise) } : {}),
  ...(r.balance_due_paise !== undefined ? { balance_due_paise: Number(r.balance_due_paise) } : {}),
});

/**
 * Settles the customer's invoices from a payment: the chosen ones first (in the order given), then the oldest open
 * ones (by due date), each as far as the money goes (the last one partly). Returns the allocations made and what is
 * left over (the caller makes it wallet credit). Invoices are locked (FOR UPDATE) before their balance is read; the
 * CHECKs on invoice and payment refuse anything past either, whatever happens meanwhile.
 */
export async function allocatePayment(
  ctx: Ctx,
  payment: { id: string; customer_id: string },
  amount: number,
  chosen: string[] = [],
): Promise<{ allocations: AllocationRow[]; left: number }> {
  if (chosen.length) await checkChosen(ctx, payment.customer_id, chosen);
  const open = rowsOf<OpenInvoice>(
    await ctx.db.execute(sql`select id, number, due_date::text, balance_due_paise from invoices
      where customer_id = ${payment.customer_id} and status = 'issued' and balance_due_paise > 0
      order by due_date, invoice_date, number
      for update`),
  ).map(norm);
  const rank = (id: string) => (chosen.includes(id) ? chosen.indexOf(id) : chosen.length);
  const order = open.map((inv, i) => ({ inv, i })).sort((x, y) => rank(x.inv.id) - rank(y.inv.id) || x.i - y.i);
  let left = amount;
  const planned: { invoice_id: string; amount: number }[] = [];
  for (const { inv } of order) {
    if (left <= 0) break;
    const take = Math.min(left, inv.balance_due_paise);
    planned.push({ invoice_id: inv.id, amount: take });
    left -= take;
  }
  if (!planned.length) return { allocations: [], left };
  const values = sql.join(
    // clock_timestamp(), not now(), plus a microsecond per place: the allocations of one payment keep the order they
    // settle in (PGlite's clock can give one statement's rows the same instant, and then the random ids decided).
    planned.map((p, i) => sql`(${payment.customer_id}::uuid, ${p.invoice_id}::uuid, ${payment.id}::uuid, ${p.amount}::bigint, ${ctx.actor?.id ?? null}::uuid, clock_timestamp() + ${i} * interval '1 microsecond')`),
    sql`, `,
  );
  const allocations = rowsOf<AllocationRow>(
    await ctx.db.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise, created_by, created_at) values ${values}
      returning id, customer_id, invoice_id, payment_id, wallet_transaction_id, amount_paise`),
  ).map(norm);
  return { allocations, left };
}

/** Chosen invoices must be the customer's, issued and not yet paid: said by number, before anything is written. */
async function checkChosen(ctx: Ctx, customerId: string, ids: string[]) {
  const found = rowsOf<{ id: string; number: string; customer_id: string; status: string; balance_due_paise: string | number }>(
    await ctx.db.execute(sql`select id, number, customer_id, status, balance_due_paise from invoices where id = any(${`{${ids.join(',')}}`}::uuid[])`),
  );
  for (const id of ids) {
    const inv = found.find((f) => f.id === id);
    if (!inv) throw unprocessable(`Invoice ${id} does not exist.`, 'unknown_invoice');
    if (inv.customer_id !== customerId) throw unprocessable(`Invoice ${inv.number} is another customer's: a payment settles its own customer's invoices.`, 'allocation_other_customer');
    if (inv.status !== 'issued') throw unprocessable(`Invoice ${inv.number} is void: it cannot be paid.`, 'invoice_void');
    if (Number(inv.balance_due_paise) <= 0) throw unprocessable(`Invoice ${inv.number} is already paid.`, 'invoice_paid');
  }
}

export interface ReversalFilter {
  /** The allocations a payment made (a bounced cheque). */
  paymentId?: string;
  /** The allocations settling an invoice (a void). */
  invoiceId?: string;
  /** The allocations a wallet lot funded (its payment bounced). */
  walletLotId?: string;
}

/**
 * Reverses live allocations (reusable: a bounced cheque, a void invoice; later a refund or a credit note): each is
 * marked reversed with its reason (the trigger takes it off its invoice and payment), and what wallet credit funded
 * goes back to its lot (a reinstate line). What a payment funded is now free: the caller decides what becomes of it
 * (a bounce drops it, a void makes it wallet credit: creditFreedPayments).
 */
export async function reverseAllocations(ctx: Ctx, filter: ReversalFilter, reason: string): Promise<AllocationRow[]> {
  const where: SQL[] = [];
  if (filter.paymentId) where.push(sql`payment_id = ${filter.paymentId}`);
  if (filter.invoiceId) where.push(sql`invoice_id = ${filter.invoiceId}`);
  if (filter.walletLotId) where.push(sql`wallet_transaction_id in (select id from wallet_transactions where lot_id = ${filter.walletLotId} and kind = 'debit')`);
  if (!where.length) throw new Error('reverseAllocations needs a filter');
  const reversed = rowsOf<AllocationRow>(
    await ctx.db.execute(sql`update payment_allocations set reversed_at = now(), reversed_by = ${ctx.actor?.id ?? null}, reversal_reason = ${reason}
      where ${sql.join(where, sql` and `)} and reversed_at is null
      returning id, customer_id, invoice_id, payment_id, wallet_transaction_id, amount_paise`),
  ).map(norm);
  const fromWallet = reversed.filter((a) => a.wallet_transaction_id);
  if (fromWallet.length) {
    await ctx.db.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, invoice_id, note, created_by, created_at)
      select a.customer_id, w.lot_id, 'reinstate', a.amount_paise, a.invoice_id, ${reason}, ${ctx.actor?.id ?? null}, clock_timestamp()
      from payment_allocations a join wallet_transactions w on w.id = a.wallet_transaction_id
      where a.id = any(${`{${fromWallet.map((a) => a.id).join(',')}}`}::uuid[])
      order by a.created_at, a.id`);
  }
  for (const a of reversed) await audit(ctx, { action: 'reverse', table: 'payment-allocations', recordId: a.id, after: { ...a, reason } });
  return reversed;
}

/** Money of payments freed by reversals becomes wallet credit of their customer (it never expires). */
export async function creditFreedPayments(ctx: Ctx, reversed: AllocationRow[], note: string): Promise<void> {
  const byPayment = new Map<string, { customer: string; amount: number }>();
  for (const a of reversed) {
    if (!a.payment_id) continue;
    const entry = byPayment.get(a.payment_id) ?? { customer: a.customer_id, amount: 0 };
    entry.amount += a.amount_paise;
    byPayment.set(a.payment_id, entry);
  }
  for (const [paymentId, { customer, amount }] of byPayment) {
    await createLot(ctx, { customerId: customer, source: 'overpayment', amountPaise: amount, paymentId, note });
  }
}
