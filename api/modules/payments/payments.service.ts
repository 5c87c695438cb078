import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { customers, invoices, paymentAllocations, payments, users, walletLots } from '../../../db/schema/index.js';
import { assertCan, ownStaffScope } from '../../lib/access.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, listRows, type ListPage, type Resource, type Row } from '../../lib/crud.js';
import { addDays, todayIST } from '../../lib/dates.js';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.js';
import { idempotent, type StoredAnswer } from '../../lib/idempotency.js';
import { assertWithinAmount } from '../../lib/permission-catalog.js';
import type { ListQuery } from '../../lib/rest.js';
import { rowsOf } from '../../lib/sql.js';
import { createLot, withdrawLot } from '../wallets/wallet-ledger.js';
import { allocatePayment, reverseAllocations } from './allocations.service.js';
import { lockCustomerMoney } from './customer-lock.js';
import type { PaymentCreate, TopUpBody } from './payments.schemas.js';
import { notifyCustomers } from '../notifications/outbox.js';
import { formatRupees } from '../../../shared/money.js';

const customerName = sql<string>`(select ${customers.name} from ${customers} where ${customers.id} = ${payments.customer_id})`;
const recordedByName = sql<string | null>`(select ${users.name} from ${users} where ${users.id} = ${payments.recorded_by})`;
export const paymentColumns = { customer_name: customerName, recorded_by_name: recordedByName };

export const paymentResource: Resource = {
  name: 'payments',
  label: 'Payment',
  table: payments,
  selection: { ...getTableColumns(payments), customer_name: customerName.as('customer_name'), recorded_by_name: recordedByName.as('recorded_by_name') },
};

/** Delivery staff see the payments they recorded themselves (their grant is {own: true}). */
function ownScope(ctx: Ctx, action: 'list' | 'show'): string | null {
  return ownStaffScope(ctx.actor, 'payments', action) ? ctx.actor!.id : null;
}

export async function listPayments(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  const own = ownScope(ctx, 'list');
  return listRows(ctx, paymentResource, own ? { ...query, where: and(query.where, eq(payments.recorded_by, own)) } : query);
}

/** A payment with what it settles (allocations, live and reversed) and the wallet credit it became. */
export async function getPayment(ctx: Ctx, id: string): Promise<Row> {
  const own = ownScope(ctx, 'show');
  const payment = await getRow(ctx, paymentResource, id);
  if (own && payment.recorded_by !== own) throw forbidden('You can only see the payments you recorded.');
  const allocations = await allocationsWhere(ctx, sql`a.payment_id = ${id} or a.wallet_transaction_id in (
    select t.id from wallet_transactions t join wallet_lots l on l.id = t.lot_id where l.payment_id = ${id} and t.kind = 'debit')`);
  const lots = await ctx.db.select().from(walletLots).where(eq(walletLots.payment_id, id)).orderBy(asc(walletLots.created_at));
  return { ...payment, allocations, lots };
}

/** Allocations with their invoice's number and their source, oldest first. */
export async function allocationsWhere(ctx: Ctx, where: ReturnType<typeof sql>): Promise<Row[]> {
  const rows = rowsOf<Row>(
    await ctx.db.execute(sql`select a.*, i.number as invoice_number, i.invoice_date::text as invoice_date,
        p.method as payment_method, p.reference as payment_reference, p.received_on::text as received_on,
        case when a.payment_id is null then 'wallet' else 'payment' end as source
      from payment_allocations a join invoices i on i.id = a.invoice_id left join payments p on p.id = a.payment_id
      where ${where}
      order by a.created_at, a.id`),
  );
  return rows.map((r) => ({
    ...r,
    amount_paise: Number(r.amount_paise),
    created_at: new Date(r.created_at as string).toISOString(),
    reversed_at: r.reversed_at ? new Date(r.reversed_at as string).toISOString() : null,
  }));
}

/** The allocations resource (GET /api/payment-allocations): a list by invoice or payment, with the same columns. */
const allocationInvoiceNumber = sql<string>`(select ${invoices.number} from ${invoices} where ${invoices.id} = ${paymentAllocations.invoice_id})`;
const allocationInvoiceDate = sql<string>`(select ${invoices.invoice_date}::text from ${invoices} where ${invoices.id} = ${paymentAllocations.invoice_id})`;
const allocationPayment = (col: string) => sql.raw(`(select p.${col} from payments p where p.id = payment_allocations.payment_id)`);
export const allocationResource: Resource = {
  name: 'payment-allocations',
  label: 'Allocation',
  table: paymentAllocations,
  selection: {
    ...getTableColumns(paymentAllocations),
    invoice_number: allocationInvoiceNumber.as('invoice_number'),
    invoice_date: allocationInvoiceDate.as('invoice_date'),
    payment_method: sql`${allocationPayment('method')}`.as('payment_method'),
    payment_reference: sql`${allocationPayment('reference')}`.as('payment_reference'),
    received_on: sql`${sql.raw('(select p.received_on::text from payments p where p.id = payment_allocations.payment_id)')}`.as('received_on'),
    source: sql<string>`case when ${paymentAllocations.payment_id} is null then 'wallet' else 'payment' end`.as('source'),
  },
};

export async function listAllocations(ctx: Ctx, query: ListQuery): Promise<ListPage> {
  const own = ownScope(ctx, 'list');
  const where = own ? and(query.where, sql`${paymentAllocations.payment_id} in (select id from payments where recorded_by = ${own})`) : query.where;
  return listRows(ctx, allocationResource, { ...query, where });
}

/** "Own" customers of delivery staff: their home zone's, or with a delivery assigned to them in the last 7 days. */
async function assertOwnCustomer(ctx: Ctx, staffId: string, customerId: string) {
  const since = addDays(todayIST(), -7);
  const [row] = rowsOf<{ own: boolean }>(
    await ctx.db.execute(sql`select exists (select 1 from customers c join staff s on s.id = ${staffId} where c.id = ${customerId} and c.zone_id = s.zone_id)
      or exists (select 1 from deliveries d join orders o on o.id = d.order_id where d.staff_id = ${staffId} and d.order_date >= ${since}::date and o.customer_id = ${customerId}) as own`),
  );
  if (!row?.own) throw forbidden("You can record payments only for your own customers: your zone's, or those you delivered to in the last 7 days.");
}

export interface RecordOptions {
  /** All of it becomes wallet credit (a top-up): no invoice is settled. */
  toWallet?: boolean;
}

/**
 * Records money received, in one transaction: the payment (captured; a cheque starts received), what it settles (the
 * chosen invoices first, then the oldest open ones) and what is left over as wallet credit that never expires, with
 * an audit row. Delivery staff record payments of their own customers only.
 */
export async function recordPayment(ctx: Ctx, input: PaymentCreate, opts: RecordOptions = {}): Promise<Row> {
  const permission = assertCan(ctx.actor, opts.toWallet ? 'wallets' : 'payments', opts.toWallet ? 'top-up' : 'create');
  assertWithinAmount(permission, input.amount_paise);
  const receivedOn = input.received_on ?? todayIST();
  if (receivedOn > todayIST()) throw unprocessable('The payment cannot be dated in the future.', 'received_in_future');
  return transaction(ctx, async (tx) => {
    const scope = opts.toWallet ? null : ownStaffScope(tx.actor, 'payments', 'create');
    if (scope) await assertOwnCustomer(tx, scope, input.customer_id);
    const customer = await lockCustomerMoney(tx, input.customer_id);
    const [payment] = await tx.db
      .insert(payments)
      .values({
        customer_id: customer.id,
        amount_paise: input.amount_paise,
        method: input.method,
        reference: input.reference || null,
        received_on: receivedOn,
        status: 'captured',
        cheque_status: input.method === 'cheque' ? 'received' : null,
        note: input.note ?? '',
        recorded_by: tx.actor?.id ?? null,
      })
      .returning();
    const { allocations, left } = opts.toWallet
      ? { allocations: [], left: input.amount_paise }
      : await allocatePayment(tx, payment, input.amount_paise, input.invoice_ids ?? []);
    if (left > 0) {
      await createLot(tx, {
        customerId: customer.id,
        source: opts.toWallet ? 'top_up' : 'overpayment',
        amountPaise: left,
        paymentId: payment.id,
        note: opts.toWallet ? `Top-up (${input.method.replace('_', ' ')})` : 'Left over after settling open invoices',
      });
    }
    const detail = await getPayment(tx, payment.id);
    await audit(tx, { action: opts.toWallet ? 'top-up' : 'create', table: 'payments', recordId: payment.id, after: { ...detail, allocated: allocations.length, credited_paise: left } });
    if (payment.method !== 'cheque') await paymentReceivedNotice(tx, payment, receivedOn);
    return detail;
  });
}

/**
 * recordPayment once per Idempotency-Key: a retry after a lost answer gets the first answer. The scope carries the
 * customer and amount, so the same key sent with another payment is refused (422) instead of answered with the first.
 */
export function recordPaymentOnce(ctx: Ctx, input: PaymentCreate, key: string | undefined, opts: RecordOptions = {}): Promise<StoredAnswer<Row>> {
  const scope = `${opts.toWallet ? 'wallets.top-up' : 'payments.create'}:${input.customer_id}:${input.amount_paise}`;
  return idempotent(ctx, key, scope, async (tx) => ({ status: 201, body: await recordPayment(tx, input, opts) }));
}

export function topUpOnce(ctx: Ctx, customerId: string, input: TopUpBody, key: string | undefined): Promise<StoredAnswer<Row>> {
  return recordPaymentOnce(ctx, { ...input, customer_id: customerId }, key, { toWallet: true });
}

/** The customer's receipt on WhatsApp (outbox, the caller's transaction): cash, UPI and transfers when recorded, a cheque when it clears. */
export async function paymentReceivedNotice(tx: Ctx, payment: { id: string; customer_id: string; amount_paise: number | string; method: string }, receivedOn: string): Promise<void> {
  const method = payment.method === 'gateway' ? 'online payment' : payment.method.replace('_', ' ');
  await notifyCustomers(tx.db, 'payment.received', [
    { customerId: payment.customer_id, payload: { amount: formatRupees(Number(payment.amount_paise)), method, received_on: receivedOn }, dedupeKey: `payment-received:${payment.id}` },
  ]);
}

type ChequeAction = 'deposit' | 'clear' | 'bounce';

/** A cheque payment, locked (its customer's money lock first), or the reason it cannot take the action. */
async function lockedCheque(tx: Ctx, id: string, action: ChequeAction, expected: string) {
  const [found] = await tx.db.select({ customer_id: payments.customer_id }).from(payments).where(eq(payments.id, id));
  if (!found) throw notFound('Payment');
  await lockCustomerMoney(tx, found.customer_id);
  const [payment] = await tx.db.select().from(payments).where(eq(payments.id, id)).for('update');
  if (payment.method !== 'cheque') throw conflict(`This is a ${payment.method.replace('_', ' ')} payment, not a cheque: it cannot be ${action === 'deposit' ? 'deposited' : action === 'clear' ? 'cleared' : 'bounced'}.`, 'not_a_cheque');
  // Race: two people act on one cheque. The row lock queues the second, which then finds it moved on: 409.
  if (payment.cheque_status !== expected) {
    throw conflict(`Cheque ${payment.reference} is ${payment.cheque_status}; only a ${expected} cheque can be ${action === 'deposit' ? 'deposited' : action === 'clear' ? 'cleared' : 'bounced'}.`, 'cheque_state');
  }
  return payment;
}

function checkDay(day: string, notBefore: string, what: string) {
  if (day > todayIST()) throw unprocessable(`The ${what} date cannot be in the future.`, 'date_in_future');
  if (day < notBefore) throw unprocessable(`The ${what} date cannot be before ${notBefore}.`, 'date_out_of_order');
}

export async function depositCheque(ctx: Ctx, id: string, input: { deposited_on?: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockedCheque(tx, id, 'deposit', 'received');
    const day = input.deposited_on ?? todayIST();
    checkDay(day, before.received_on, 'deposit');
    await tx.db.update(payments).set({ cheque_status: 'deposited', cheque_deposited_on: day }).where(eq(payments.id, id));
    const after = await getPayment(tx, id);
    await audit(tx, { action: 'deposit', table: 'payments', recordId: id, before, after });
    return after;
  });
}

export async function clearCheque(ctx: Ctx, id: string, input: { cleared_on?: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockedCheque(tx, id, 'clear', 'deposited');
    const day = input.cleared_on ?? todayIST();
    checkDay(day, before.cheque_deposited_on!, 'clearing');
    await tx.db.update(payments).set({ cheque_status: 'cleared', cheque_cleared_on: day }).where(eq(payments.id, id));
    const after = await getPayment(tx, id);
    await audit(tx, { action: 'clear', table: 'payments', recordId: id, before, after });
    await paymentReceivedNotice(tx, before, day);
    return after;
  });
}

/**
 * The bank returned the cheque: the money never came. In one transaction: credit it became is taken back (what of it
 * was spent on invoices is reversed first, so those invoices are due again), its own allocations are reversed, and
 * the cheque is marked bounced with the reason. The statement shows the bounce as a debit of the full amount.
 */
export async function bounceCheque(ctx: Ctx, id: string, input: { reason: string; bounced_on?: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockedCheque(tx, id, 'bounce', 'deposited');
    const day = input.bounced_on ?? todayIST();
    checkDay(day, before.cheque_deposited_on!, 'bounce');
    const why = `Cheque ${before.reference} bounced: ${input.reason}`;
    const lots = await tx.db.select({ id: walletLots.id }).from(walletLots).where(eq(walletLots.payment_id, id)).for('update');
    let withdrawn = 0;
    for (const lot of lots) {
      await reverseAllocations(tx, { walletLotId: lot.id }, why);
      withdrawn += await withdrawLot(tx, lot.id, why);
    }
    const reversed = await reverseAllocations(tx, { paymentId: id }, why);
    await tx.db.update(payments).set({ cheque_status: 'bounced', bounced_on: day, bounce_reason: input.reason }).where(eq(payments.id, id));
    const after = await getPayment(tx, id);
    await audit(tx, { action: 'bounce', table: 'payments', recordId: id, before, after: { ...after, reversed_allocations: reversed.length, withdrawn_paise: withdrawn } });
    return after;
  });
}

export function bounceChequeOnce(ctx: Ctx, id: string, input: { reason: string; bounced_on?: string }, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `payments.bounce:${id}`, async (tx) => ({ status: 200, body: await bounceCheque(tx, id, input) }));
}
