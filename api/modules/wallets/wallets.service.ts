import { and, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import { customers, invoices, users, walletLots, walletTransactions } from '../../../db/schema/index.js';
import { assertCan } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { onCommit, transaction, type Ctx } from '../../lib/context.js';
import { auditRowsWritten } from '../../lib/metrics.js';
import { listRows, type ListPage, type Resource, type Row } from '../../lib/crud.js';
import { addDays, todayIST } from '../../lib/dates.js';
import { conflict, notFound, unprocessable } from '../../lib/errors.js';
import { idempotent, type StoredAnswer } from '../../lib/idempotency.js';
import { assertWithinAmount } from '../../lib/permission-catalog.js';
import type { ListQuery } from '../../lib/rest.js';
import { rowsOf } from '../../lib/sql.js';
import { lockCustomerMoney } from '../payments/customer-lock.js';
import { applyWalletCredit, createLot } from './wallet-ledger.js';

/** A promotional credit lasts this long unless its expiry is given (money paid in never expires). */
export const PROMO_DAYS = 30;

const invoiceNumber = sql<string | null>`(select ${invoices.number} from ${invoices} where ${invoices.id} = ${walletTransactions.invoice_id})`;
const lotSource = sql<string>`(select ${walletLots.source} from ${walletLots} where ${walletLots.id} = ${walletTransactions.lot_id})`;
const createdByName = sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${walletTransactions.created_by})`;
export const walletTransactionColumns = { invoice_number: invoiceNumber, lot_source: lotSource, created_by_name: createdByName };

export const walletTransactionResource: Resource = {
  name: 'wallet-transactions',
  label: 'Wallet line',
  table: walletTransactions,
  selection: {
    ...getTableColumns(walletTransactions),
    invoice_number: invoiceNumber.as('invoice_number'),
    lot_source: lotSource.as('lot_source'),
    created_by_name: createdByName.as('created_by_name'),
  },
};

export function listWalletTransactions(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  return listRows(ctx, walletTransactionResource, query);
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * A customer's wallet: the balance (the sum of its ledger, kept on its lots), what can be spent now (lots not
 * expired), its lots newest first and its latest ledger lines. Lots whose expiry has passed but whose expiry line the
 * job has not yet written count in the balance and not in what is available.
 */
export async function walletOf(ctx: Ctx, customerId: string): Promise<Row> {
  const [customer] = await ctx.db.select({ id: customers.id, name: customers.name }).from(customers).where(eq(customers.id, customerId));
  if (!customer) throw notFound('Customer');
  const [totals] = rowsOf<{ balance: string; available: string; expiring: string; next_expiry: Date | string | null }>(
    await ctx.db.execute(sql`select coalesce(sum(remaining_paise), 0) as balance,
        coalesce(sum(remaining_paise) filter (where expires_at is null or expires_at > now()), 0) as available,
        coalesce(sum(remaining_paise) filter (where expires_at > now() and expires_at <= now() + interval '7 days'), 0) as expiring,
        min(expires_at) filter (where expires_at > now()) as next_expiry
      from wallet_lots where customer_id = ${customerId} and remaining_paise > 0`),
  );
  const lots = await ctx.db.select().from(walletLots).where(eq(walletLots.customer_id, customerId)).orderBy(desc(walletLots.created_at), desc(walletLots.id)).limit(200);
  const lines = await ctx.db
    .select(walletTransactionResource.selection as never)
    .from(walletTransactions)
    .where(eq(walletTransactions.customer_id, customerId))
    .orderBy(desc(walletTransactions.created_at), desc(walletTransactions.id))
    .limit(50);
  return {
    customer_id: customer.id,
    customer_name: customer.name,
    balance_paise: num(totals.balance),
    available_paise: num(totals.available),
    expiring_in_7_days_paise: num(totals.expiring),
    next_expiry_at: totals.next_expiry ? new Date(totals.next_expiry).toISOString() : null,
    lots: lots.map((l) => ({ ...l, created_at: l.created_at.toISOString(), expires_at: l.expires_at?.toISOString() ?? null })),
    transactions: (lines as Row[]).map((l) => ({ ...l, created_at: (l.created_at as Date).toISOString() })),
  };
}

export interface PromoInput {
  amount_paise: number;
  /** Last day it can be spent (IST); PROMO_DAYS from today when left out. */
  expires_on?: string;
  note: string;
}

/** Promotional credit: a lot of its own that expires (end of its last day, IST), audited, under the customer lock. */
export async function grantPromo(ctx: Ctx, customerId: string, input: PromoInput, opts: { authorizedBy?: 'disputes.credit' } = {}): Promise<Row> {
  // A dispute's goodwill credit was checked against the actor's bounded `disputes credit` grant by the caller.
  if (!opts.authorizedBy) assertWithinAmount(assertCan(ctx.actor, 'wallets', 'promo'), input.amount_paise);
  const lastDay = input.expires_on ?? addDays(todayIST(), PROMO_DAYS);
  if (lastDay < todayIST()) throw unprocessable('A promotional credit cannot expire before today.', 'expiry_in_past');
  return transaction(ctx, async (tx) => {
    await lockCustomerMoney(tx, customerId);
    const lot = await createLot(tx, {
      customerId,
      source: 'promo',
      amountPaise: input.amount_paise,
      // Spendable through its last day in Bengaluru: it expires at the next midnight IST.
      expiresAt: new Date(`${addDays(lastDay, 1)}T00:00:00+05:30`),
      note: input.note,
    });
    return { ...(await walletOf(tx, customerId)), lot_id: lot.id };
  });
}

export function grantPromoOnce(ctx: Ctx, customerId: string, input: PromoInput, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `wallets.promo:${customerId}:${input.amount_paise}`, async (tx) => ({ status: 201, body: await grantPromo(tx, customerId, input) }));
}

/** Spends the customer's available credit on one of their open invoices now (a top-up after the month's run). */
export async function applyCreditToInvoice(ctx: Ctx, invoiceId: string, input: { amount_paise?: number }): Promise<Row> {
  const permission = assertCan(ctx.actor, 'wallets', 'apply');
  return transaction(ctx, async (tx) => {
    const [found] = await tx.db.select({ customer_id: invoices.customer_id }).from(invoices).where(eq(invoices.id, invoiceId));
    if (!found) throw notFound('Invoice');
    await lockCustomerMoney(tx, found.customer_id);
    const [before] = await tx.db.select({ number: invoices.number, status: invoices.status, balance_due_paise: invoices.balance_due_paise }).from(invoices).where(eq(invoices.id, invoiceId));
    if (before.status !== 'issued') throw conflict(`Invoice ${before.number} is void: no credit can be applied to it.`, 'invoice_void');
    if (Number(before.balance_due_paise) === 0) throw conflict(`Invoice ${before.number} is already paid.`, 'invoice_paid');
    assertWithinAmount(permission, Math.min(input.amount_paise ?? Number(before.balance_due_paise), Number(before.balance_due_paise)));
    const { applied_paise } = await applyWalletCredit(tx, found.customer_id, invoiceId, { upTo: input.amount_paise });
    // Race: fifty requests for one wallet. The customer lock queues them; those that find it empty get this 409.
    if (applied_paise === 0) throw conflict('The customer has no wallet credit to apply (none left, or all of it expired).', 'no_credit');
    const [after] = await tx.db.select({ balance_due_paise: invoices.balance_due_paise }).from(invoices).where(eq(invoices.id, invoiceId));
    const [{ wallet }] = rowsOf<{ wallet: string }>(await tx.db.execute(sql`select coalesce(sum(remaining_paise), 0) as wallet from wallet_lots where customer_id = ${found.customer_id}`));
    return { invoice_id: invoiceId, applied_paise, balance_due_paise: Number(after.balance_due_paise), wallet_paise: Number(wallet) };
  });
}

export function applyCreditOnce(ctx: Ctx, invoiceId: string, input: { amount_paise?: number }, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `wallets.apply:${invoiceId}`, async (tx) => ({ status: 200, body: await applyCreditToInvoice(tx, invoiceId, input) }));
}

/**
 * The expiry job: every lot past its expiry with credit left gets an expiry line for all of it, written once whatever
 * number of API processes run the job at the same moment (each claims lots with FOR UPDATE SKIP LOCKED, and the
 * ledger's trigger refuses a second expiry of an emptied lot). Batches of `batch` lots, each its own transaction, with
 * an audit row per lot. Returns how many lots expired.
 */
export async function expireWalletLots(ctx: Ctx, opts: { batch?: number } = {}): Promise<{ expired: number; amount_paise: number }> {
  const batch = opts.batch ?? 500;
  let expired = 0;
  let amount = 0;
  for (;;) {
    const done = await transaction(ctx, async (tx) =>
      rowsOf<{ lot_id: string; amount_paise: string }>(
        await tx.db.execute(sql`
          with due as (
            select id, customer_id, remaining_paise from wallet_lots
            where remaining_paise > 0 and expires_at <= now()
            order by expires_at, id
            limit ${batch}
            for update skip locked
          ), lines as (
            insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, note, created_by)
            select customer_id, id, 'expiry', remaining_paise, 'Expired unused', ${tx.actor?.id ?? null}::uuid from due
            returning lot_id, amount_paise
          ), audited as (
            insert into audit_logs (user_id, action, table_name, record_id, after, request_id)
            select ${tx.actor?.id ?? null}::uuid, 'expire', 'wallet-lots', lot_id, jsonb_build_object('expired_paise', amount_paise), ${tx.requestId} from lines
          )
          select lot_id, amount_paise from lines`),
      ),
    );
    onCommit(ctx, () => auditRowsWritten.inc(done.length));
    expired += done.length;
    amount += done.reduce((s, r) => s + Number(r.amount_paise), 0);
    if (done.length < batch) break;
  }
  return { expired, amount_paise: amount };
}

export async function expireWalletLotsNow(ctx: Ctx): Promise<{ expired: number; amount_paise: number }> {
  const result = await expireWalletLots(ctx);
  if (result.expired) await transaction(ctx, (tx) => audit(tx, { action: 'expire-run', table: 'wallet-lots', after: result }));
  return result;
}

/** Lot ids of a customer that can still be drawn, soonest expiry first (tests and the wallet page read the order). */
export async function drawingOrder(ctx: Ctx, customerId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: walletLots.id })
    .from(walletLots)
    .where(and(eq(walletLots.customer_id, customerId), sql`${walletLots.remaining_paise} > 0 and (${walletLots.expires_at} is null or ${walletLots.expires_at} > now())`))
    .orderBy(sql`${walletLots.expires_at} asc nulls last`, walletLots.created_at, walletLots.id);
  return rows.map((r) => r.id);
}
