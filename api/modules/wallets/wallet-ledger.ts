import { sql } from 'drizzle-orm';
import { walletLots } from '../../../db/schema/index.js';
import { audit } from '../../lib/audit.js';
import type { Ctx } from '../../lib/context.js';
import { conflict, notFound, unprocessable } from '../../lib/errors.js';
import { rowsOf } from '../../lib/sql.js';

// Lines and allocations are stamped with clock_timestamp(): several in one transaction keep the order they were made in.
// The wallet's primitives, inside the caller's transaction and under its customer lock (payments/customer-lock.ts):
// a lot is made (its credit line comes with it, by trigger), credit is drawn onto an invoice (a debit line and the
// allocation it funds), a lot is emptied (withdrawal). The database keeps every lot between zero and its amount.

export type LotSource = 'overpayment' | 'top_up' | 'promo' | 'refund';
export type Lot = typeof walletLots.$inferSelect;

export interface NewLot {
  customerId: string;
  source: LotSource;
  amountPaise: number;
  /** null: never expires (money paid in never does). */
  expiresAt?: Date | null;
  paymentId?: string | null;
  note?: string;
}

/** A new lot, full, with its credit line (trigger wallet_lots_credit) and its audit row. */
export async function createLot(ctx: Ctx, lot: NewLot): Promise<Lot> {
  const [row] = await ctx.db
    .insert(walletLots)
    .values({
      customer_id: lot.customerId,
      source: lot.source,
      amount_paise: lot.amountPaise,
      remaining_paise: lot.amountPaise,
      expires_at: lot.expiresAt ?? null,
      payment_id: lot.paymentId ?? null,
      note: lot.note ?? '',
      created_by: ctx.actor?.id ?? null,
    })
    .returning();
  await audit(ctx, { action: 'credit', table: 'wallet-lots', recordId: row.id, after: row });
  return row;
}

export interface Draw {
  lot_id: string;
  wallet_transaction_id: string;
  allocation_id: string;
  amount_paise: number;
}

/**
 * Spends the customer's credit on one of their open invoices, up to its balance due (and `upTo`), the soonest-expiring
 * lot first (then the oldest): each lot drawn gives a debit line and the allocation it funds. Lots that have expired
 * are never drawn, whether or not the expiry job has written their line yet. The caller holds the customer lock; the
 * lots are locked too (FOR UPDATE), and the CHECK on each lot is the last word: never below zero.
 */
export async function applyWalletCredit(ctx: Ctx, customerId: string, invoiceId: string, opts: { upTo?: number; note?: string } = {}): Promise<{ applied_paise: number; draws: Draw[] }> {
  const [invoice] = rowsOf<{ id: string; number: string; customer_id: string; status: string; balance_due_paise: string | number }>(
    await ctx.db.execute(sql`select id, number, customer_id, status, balance_due_paise from invoices where id = ${invoiceId} for update`),
  );
  if (!invoice || invoice.customer_id !== customerId) throw notFound('Invoice');
  if (invoice.status !== 'issued') throw conflict(`Invoice ${invoice.number} is void: no credit can be applied to it.`, 'invoice_void');
  let wanted = Math.min(Number(invoice.balance_due_paise), opts.upTo ?? Number.MAX_SAFE_INTEGER);
  const draws: Draw[] = [];
  if (wanted <= 0) return { applied_paise: 0, draws };
  const lots = rowsOf<{ id: string; remaining_paise: string | number }>(
    await ctx.db.execute(sql`select id, remaining_paise from wallet_lots
      where customer_id = ${customerId} and remaining_paise > 0 and (expires_at is null or expires_at > now())
      order by expires_at asc nulls last, created_at, id
      for update`),
  );
  const note = opts.note ?? `Applied to ${invoice.number}`;
  for (const lot of lots) {
    if (wanted <= 0) break;
    const take = Math.min(Number(lot.remaining_paise), wanted);
    // Two statements, not one with a CTE: the allocation's trigger reads the debit line, which a sibling CTE would hide.
    const [line] = rowsOf<{ id: string }>(
      await ctx.db.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, invoice_id, note, created_by, created_at)
        values (${customerId}, ${lot.id}, 'debit', ${take}, ${invoiceId}, ${note}, ${ctx.actor?.id ?? null}, clock_timestamp()) returning id`),
    );
    const [allocation] = rowsOf<{ id: string }>(
      await ctx.db.execute(sql`insert into payment_allocations (customer_id, invoice_id, wallet_transaction_id, amount_paise, created_by, created_at)
        values (${customerId}, ${invoiceId}, ${line.id}, ${take}, ${ctx.actor?.id ?? null}, clock_timestamp()) returning id`),
    );
    draws.push({ lot_id: lot.id, wallet_transaction_id: line.id, allocation_id: allocation.id, amount_paise: take });
    wanted -= take;
  }
  const applied = draws.reduce((s, d) => s + d.amount_paise, 0);
  if (applied > 0) await audit(ctx, { action: 'apply-credit', table: 'invoices', recordId: invoiceId, after: { number: invoice.number, applied_paise: applied, draws } });
  return { applied_paise: applied, draws };
}

/** Takes what is left of a lot out of the wallet (its payment bounced; later, a refund out of the wallet). */
export async function withdrawLot(ctx: Ctx, lotId: string, note: string): Promise<number> {
  const [lot] = rowsOf<{ customer_id: string; remaining_paise: string | number }>(await ctx.db.execute(sql`select customer_id, remaining_paise from wallet_lots where id = ${lotId} for update`));
  if (!lot) throw notFound('Wallet lot');
  const amount = Number(lot.remaining_paise);
  if (amount === 0) return 0;
  await ctx.db.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, note, created_by, created_at)
    values (${lot.customer_id}, ${lotId}, 'withdrawal', ${amount}, ${note}, ${ctx.actor?.id ?? null}, clock_timestamp())`);
  await audit(ctx, { action: 'withdraw', table: 'wallet-lots', recordId: lotId, after: { amount_paise: amount, note } });
  return amount;
}

/** The customer's credit that can be spent now (lots not expired), in paise. */
export async function availableCredit(ctx: Ctx, customerId: string): Promise<number> {
  const [row] = rowsOf<{ n: string | number }>(
    await ctx.db.execute(sql`select coalesce(sum(remaining_paise), 0) as n from wallet_lots
      where customer_id = ${customerId} and remaining_paise > 0 and (expires_at is null or expires_at > now())`),
  );
  return Number(row.n);
}

/** A lot's source said plainly (statements, audit). */
export const lotSourceLabel: Record<LotSource, string> = {
  overpayment: 'Overpayment',
  top_up: 'Top-up',
  promo: 'Promotional credit',
  refund: 'Refund to wallet',
};

export const badAmount = (what: string) => unprocessable(`${what} must be a whole number of paise above 0.`, 'bad_amount');
