import { and, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { paymentAllocations, payments, refunds, walletLots, walletTransactions } from '../../../db/schema/index.js';
import type { Permission } from '../../lib/context.js';
import { audit } from '../../lib/audit.js';
import { transaction, type Ctx } from '../../lib/context.js';
import { getRow, type Resource, type Row } from '../../lib/crud.js';
import { AppError, conflict, notFound, unprocessable } from '../../lib/errors.js';
import { idempotent, type StoredAnswer } from '../../lib/idempotency.js';
import type { Conditions } from '../../lib/permission-catalog.js';
import { rowsOf } from '../../lib/sql.js';
import { isCreditNoteReason, issueCreditNote } from '../credit-notes/credit-notes.service.js';
import { lockCustomerMoney } from '../payments/customer-lock.js';
import { refundDecided } from '../disputes/disputes.refund-hook.js';
import { RefundRefused, type RefundProvider, type RefundResult } from './provider.js';
import type { RefundCreate } from './refunds.schemas.js';
import { notifyCustomers } from '../notifications/outbox.js';
import { formatRupees } from '../../../shared/money.js';

// Written as text: drizzle may print a selected column unqualified, and a bare "id" would mean the subquery's own.
const userName = (col: string) => sql<string | null>`(select u.name from users u where u.id = ${sql.raw(`refunds.${col}`)})`;
export const refundColumns = {
  customer_name: sql<string>`(select c.name from customers c where c.id = refunds.customer_id)`,
  requested_by_name: userName('requested_by'),
  approved_by_name: userName('approved_by'),
  rejected_by_name: userName('rejected_by'),
  paid_by_name: userName('paid_by'),
  payment_method: sql<string>`(select p.method from payments p where p.id = refunds.payment_id)`,
  payment_reference: sql<string | null>`(select p.reference from payments p where p.id = refunds.payment_id)`,
  payment_amount_paise: sql<number>`(select p.amount_paise::int from payments p where p.id = refunds.payment_id)`,
  payment_received_on: sql<string>`(select p.received_on from payments p where p.id = refunds.payment_id)`,
  invoice_number: sql<string | null>`(select i.number from invoices i where i.id = refunds.invoice_id)`,
  credit_note_id: sql<string | null>`(select n.id from credit_notes n where n.refund_id = refunds.id)`,
  credit_note_number: sql<string | null>`(select n.number from credit_notes n where n.refund_id = refunds.id)`,
};

export const refundResource: Resource = {
  name: 'refunds',
  label: 'Refund',
  table: refunds,
  selection: {
    ...getTableColumns(refunds),
    ...Object.fromEntries(Object.entries(refundColumns).map(([k, v]) => [k, v.as(k)])),
  },
};

const rupees = (p: number) => new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(p / 100);

/** Approvals above this need a fresh second-factor code unless the approver's grant sets its own max_amount_paise. */
export const DEFAULT_STEP_UP_ABOVE_PAISE = 200_000;

/**
 * Whether approving `amountPaise` needs a step-up code now: above the grant's max_amount_paise (₹2,000 when it sets
 * none). A grant marked step_up already had its code checked (and used up) by permit(), for every amount.
 */
export function approvalNeedsCode(grant: Permission, amountPaise: number): boolean {
  const conditions = grant.conditions as Conditions | null;
  if (conditions?.step_up) return false;
  return amountPaise > (conditions?.max_amount_paise ?? DEFAULT_STEP_UP_ABOVE_PAISE);
}

interface Allocation {
  id: string;
  invoice_id: string;
  amount_paise: number;
}

/** Where a refund's money comes from, worked out under the payment's row lock. */
interface Funding {
  /** Money of the payment that settles nothing and funds no credit. */
  fromFree: number;
  /** Allocations cut down (reversed, and made again for what stays). */
  cuts: { allocation: Allocation; cut: number }[];
  /** Withdrawn from lots the payment funded (its overpayment or top-up credit still unspent). */
  withdrawals: { lot_id: string; amount: number }[];
}

/**
 * What of the payment can go back for this refund, in order: money of it that settles nothing; for a credit-note
 * reason, what it paid of that invoice (the note lowers the invoice, so the allocation must fall at least as far as
 * the invoice would otherwise be paid past its total); otherwise its unspent wallet credit, then what it settles of
 * invoices, newest first (those invoices owe it again). Reads under locks when `lock` (the approval).
 */
async function planFunding(tx: Ctx, refund: { payment_id: string; invoice_id: string | null; reason: string; amount_paise: number }, lock: boolean): Promise<Funding> {
  const forUpdate = lock ? sql`for update` : sql``;
  const [p] = rowsOf<{ amount: string; allocated: string; credited: string; refunded: string }>(
    await tx.db.execute(sql`select amount_paise as amount, allocated_paise as allocated, credited_paise as credited, refunded_paise as refunded
      from payments where id = ${refund.payment_id} ${forUpdate}`),
  );
  if (!p) throw notFound('Payment');
  const free = Number(p.amount) - Number(p.allocated) - Number(p.credited) - Number(p.refunded);
  const allocations = rowsOf<{ id: string; invoice_id: string; amount_paise: string }>(
    await tx.db.execute(sql`select id, invoice_id, amount_paise from payment_allocations
      where payment_id = ${refund.payment_id} and reversed_at is null order by created_at desc, id desc ${forUpdate}`),
  ).map((a) => ({ ...a, amount_paise: Number(a.amount_paise) }));
  const amount = refund.amount_paise;
  const cutFrom = (list: Allocation[], total: number) => {
    const cuts: Funding['cuts'] = [];
    let rest = total;
    for (const allocation of list) {
      if (rest === 0) break;
      const cut = Math.min(allocation.amount_paise, rest);
      cuts.push({ allocation, cut });
      rest -= cut;
    }
    return { cuts, rest };
  };

  if (refund.invoice_id && isCreditNoteReason(refund.reason)) {
    const [inv] = rowsOf<{ total: string; paid: string; credited: string; number: string }>(
      await tx.db.execute(sql`select total_paise as total, paid_paise as paid, credited_paise as credited, number from invoices where id = ${refund.invoice_id} ${forUpdate}`),
    );
    const onInvoice = allocations.filter((a) => a.invoice_id === refund.invoice_id);
    const settles = onInvoice.reduce((s, a) => s + a.amount_paise, 0);
    const mustCut = Math.max(0, Number(inv.paid) + Number(inv.credited) + amount - Number(inv.total));
    const cut = Math.max(mustCut, amount - Math.max(free, 0));
    if (cut > settles) {
      throw unprocessable(
        `This payment settles ${rupees(settles)} of invoice ${inv.number}: a credit-note refund against that invoice gives back at most what the payment paid of it (${rupees(amount)} asked).`,
        'refund_not_fundable',
      );
    }
    const { cuts } = cutFrom(onInvoice, cut);
    return { fromFree: amount - cut, cuts, withdrawals: [] };
  }

  const fromFree = Math.min(Math.max(free, 0), amount);
  let rest = amount - fromFree;
  const withdrawals: Funding['withdrawals'] = [];
  if (rest > 0) {
    const lots = rowsOf<{ id: string; remaining: string }>(
      await tx.db.execute(sql`select id, remaining_paise as remaining from wallet_lots
        where payment_id = ${refund.payment_id} and remaining_paise > 0 order by created_at, id ${forUpdate}`),
    );
    for (const lot of lots) {
      if (rest === 0) break;
      const take = Math.min(Number(lot.remaining), rest);
      withdrawals.push({ lot_id: lot.id, amount: take });
      rest -= take;
    }
  }
  const { cuts, rest: short } = cutFrom(allocations, rest);
  if (short > 0) {
    throw unprocessable(
      `Only ${rupees(amount - short)} of this payment can still go back: the rest was spent as wallet credit or already refunded.`,
      'refund_not_fundable',
    );
  }
  return { fromFree, cuts, withdrawals };
}

/** The invoice a credit-note refund reduces: the one named, or the only one the payment settles (none: no note). */
async function invoiceFor(tx: Ctx, paymentId: string, reason: string, named: string | undefined): Promise<string | null> {
  if (named || !isCreditNoteReason(reason)) return named ?? null;
  const settled = rowsOf<{ invoice_id: string; number: string }>(
    await tx.db.execute(sql`select distinct a.invoice_id, i.number from payment_allocations a join invoices i on i.id = a.invoice_id
      where a.payment_id = ${paymentId} and a.reversed_at is null order by i.number`),
  );
  if (settled.length > 1) {
    throw unprocessable(`This payment settles ${settled.length} invoices (${settled.map((s) => s.number).join(', ')}): name the one the credit note reduces (invoice_id).`, 'invoice_required');
  }
  return settled[0]?.invoice_id ?? null;
}

/** Records a request for money back; it waits for someone else's approval. `opts.disputeId`: the dispute it resolves. */
export async function requestRefund(ctx: Ctx, input: RefundCreate, opts: { disputeId?: string } = {}): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const [payment] = await tx.db.select({ id: payments.id, customer_id: payments.customer_id }).from(payments).where(eq(payments.id, input.payment_id));
    if (!payment) throw notFound('Payment');
    const invoiceId = await invoiceFor(tx, payment.id, input.reason, input.invoice_id);
    // Said now rather than at approval: the refund could not be paid from this payment as it stands.
    await planFunding(tx, { payment_id: payment.id, invoice_id: invoiceId, reason: input.reason, amount_paise: input.amount_paise }, false);
    const [created] = await tx.db
      .insert(refunds)
      .values({
        payment_id: payment.id,
        customer_id: payment.customer_id,
        invoice_id: invoiceId,
        amount_paise: input.amount_paise,
        reason: input.reason,
        destination: input.destination,
        note: input.note,
        requested_by: tx.actor!.id,
        dispute_id: opts.disputeId ?? null,
      })
      .returning({ id: refunds.id });
    const after = await getRow(tx, refundResource, created.id);
    await audit(tx, { action: 'create', table: 'refunds', recordId: created.id, after });
    return after;
  });
}

export function requestRefundOnce(ctx: Ctx, input: RefundCreate, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, 'refunds.create', async (tx) => ({ status: 201, body: await requestRefund(tx, input) }));
}

/** Locks the refund and refuses unless it is in `status`: of two concurrent decisions, the second waits here, then gets a 409. */
async function lockIn(tx: Ctx, id: string, status: string, what: string): Promise<Row> {
  const before = await getRow(tx, refundResource, id, { lock: true });
  if (before.status !== status) {
    const who =
      before.status === 'rejected' ? ` by ${before.rejected_by_name}` : before.approved_by_name && before.status !== 'requested' ? ` (approved by ${before.approved_by_name})` : '';
    throw conflict(`This refund is ${before.status}${who}: it cannot be ${what}.`, 'refund_already_decided');
  }
  return before;
}

/** A lot of refund credit for the customer, in the caller's transaction (its credit line is written by its trigger). */
async function creditRefundLot(tx: Ctx, refund: Row, amount: number, note: string): Promise<string> {
  const [lot] = await tx.db
    .insert(walletLots)
    .values({ customer_id: refund.customer_id as string, source: 'refund', amount_paise: amount, remaining_paise: amount, note, created_by: tx.actor?.id ?? null })
    .returning({ id: walletLots.id });
  await audit(tx, { action: 'create', table: 'wallet-lots', recordId: lot.id, after: { source: 'refund', amount_paise: amount, refund_id: refund.id, note } });
  return lot.id;
}

/**
 * Approves a requested refund: someone other than its requester (the database refuses the same person too). The money
 * comes out of the payment in the same transaction (planFunding: free money, cut allocations, withdrawn credit); a
 * credit-note reason against an invoice issues the credit note; a wallet refund credits a refund lot and is done.
 * A gateway refund is then sent (sendRefund), outside the transaction.
 */
export async function approveRefund(ctx: Ctx, id: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    // Race: two approvers at once. The row lock queues the second, which then finds it approved: 409.
    const before = await lockIn(tx, id, 'requested', 'approved');
    if (before.requested_by === tx.actor?.id) throw new AppError(403, 'own_refund', 'You asked for this refund: someone else must approve it.');
    // The lock every verb moving this customer's money takes first (payments, bounces, voids): no crosswise deadlock.
    await lockCustomerMoney(tx, before.customer_id as string);
    const refund = { payment_id: before.payment_id as string, invoice_id: before.invoice_id as string | null, reason: before.reason as string, amount_paise: Number(before.amount_paise) };
    const funding = await planFunding(tx, refund, true);
    const actor = tx.actor?.id ?? null;
    const because = `Refund ${id} (${before.reason})`;
    const cuts = [];
    for (const { allocation, cut } of funding.cuts) {
      await tx.db
        .update(paymentAllocations)
        .set({ reversed_at: new Date(), reversed_by: actor, reversal_reason: because })
        .where(and(eq(paymentAllocations.id, allocation.id), isNull(paymentAllocations.reversed_at)));
      let replacedBy: string | null = null;
      if (allocation.amount_paise > cut) {
        const [again] = await tx.db
          .insert(paymentAllocations)
          .values({ customer_id: before.customer_id as string, invoice_id: allocation.invoice_id, payment_id: refund.payment_id, amount_paise: allocation.amount_paise - cut, created_by: actor })
          .returning({ id: paymentAllocations.id });
        replacedBy = again.id;
      }
      cuts.push({ allocation_id: allocation.id, invoice_id: allocation.invoice_id, was_paise: allocation.amount_paise, cut_paise: cut, replaced_by: replacedBy });
      await audit(tx, { action: 'reverse', table: 'payment-allocations', recordId: allocation.id, after: { reason: because, cut_paise: cut, replaced_by: replacedBy } });
    }
    for (const w of funding.withdrawals) {
      await tx.db.insert(walletTransactions).values({ customer_id: before.customer_id as string, lot_id: w.lot_id, kind: 'withdrawal', amount_paise: w.amount, note: because, created_by: actor });
    }
    const fromWallet = funding.withdrawals.reduce((s, w) => s + w.amount, 0);
    await tx.db.update(refunds).set({ status: 'approved', approved_by: actor, approved_at: new Date(), from_wallet_paise: fromWallet }).where(eq(refunds.id, id));
    let creditNote: Row | null = null;
    if (refund.invoice_id && isCreditNoteReason(refund.reason)) {
      creditNote = await issueCreditNote(tx, { invoice_id: refund.invoice_id, amount_paise: refund.amount_paise, reason: refund.reason, note: before.note as string, refund_id: id });
    }
    if (before.destination === 'wallet') {
      const lot = await creditRefundLot(tx, before, refund.amount_paise, `Refund ${id}: ${before.note}`);
      await tx.db.update(refunds).set({ status: 'processed', processed_at: new Date(), wallet_lot_id: lot }).where(eq(refunds.id, id));
    }
    const after = await getRow(tx, refundResource, id);
    await audit(tx, {
      action: 'approve',
      table: 'refunds',
      recordId: id,
      before,
      after: { ...after, funding: { from_free_paise: funding.fromFree, allocations_cut: cuts, wallet_withdrawals: funding.withdrawals }, credit_note: creditNote?.number ?? null },
    });
    if (before.destination === 'wallet') await refundSentNotice(tx, after, 'your Milkrun wallet');
    // A refund asked to resolve a dispute resolves it, in this same transaction.
    await refundDecided(tx, after, 'approved');
    return after;
  });
}

/** Approve with an optional Idempotency-Key (a retry gets the first answer), then send a gateway refund. */
export async function approveRefundOnce(ctx: Ctx, id: string, key: string | undefined, provider: RefundProvider): Promise<StoredAnswer<Row>> {
  const answer = await idempotent(ctx, key, `refunds.approve:${id}`, async (tx) => ({ status: 200, body: await approveRefund(tx, id) }));
  if (!answer.replayed) answer.body = await sendRefund(ctx, id, provider);
  return answer;
}

/**
 * Sends an approved gateway refund to the gateway, after the approval committed (never a network call inside a
 * transaction), then records it as processing with the gateway's id. Sending again (a retry, a crash in between)
 * asks the gateway with the same refund id, which refunds once. A refusal marks the refund failed; any other error
 * leaves it approved, to send again (POST /api/refunds/:id/send).
 */
export async function sendRefund(ctx: Ctx, id: string, provider: RefundProvider): Promise<Row> {
  const refund = await getRow(ctx, refundResource, id);
  if (refund.status !== 'approved' || refund.destination !== 'source' || refund.payment_method !== 'gateway') return refund;
  let sent: { provider_refund_id: string };
  try {
    sent = await provider.send({ refund_id: id, payment_reference: String(refund.payment_reference), amount_paise: Number(refund.amount_paise) });
  } catch (err) {
    if (err instanceof RefundRefused) return failRefund(ctx, id, `Refused by the gateway: ${err.message}`, provider.name);
    ctx.log.error({ err, refund: id }, 'sending a refund to the gateway failed; it stays approved');
    return refund;
  }
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, refundResource, id, { lock: true });
    // Race: the approval's send and a retried send at once; the gateway answered both with one refund: one records it.
    if (before.status !== 'approved') return before;
    await tx.db.update(refunds).set({ status: 'processing', provider: provider.name, provider_refund_id: sent.provider_refund_id, sent_at: new Date() }).where(eq(refunds.id, id));
    const after = await getRow(tx, refundResource, id);
    await audit(tx, { action: 'send', table: 'refunds', recordId: id, before, after });
    return after;
  });
}

/**
 * Marks a refund failed in the caller's transaction, leaving all of its money with the customer as wallet credit (the
 * next invoice takes it, or a new refund of the payment gives it back): the wallet part it drew on comes back as a
 * refund lot, and the rest, which the failure gives back to the payment (refunds_apply), becomes credit funded by that
 * payment, so the payment stays wholly applied (data health: payments_not_applied) and can fund a new refund.
 */
async function failIn(tx: Ctx, before: Row, reason: string, provider?: string): Promise<Row> {
  const id = before.id as string;
  await lockCustomerMoney(tx, before.customer_id as string);
  const fromWallet = Number(before.from_wallet_paise);
  const lot = fromWallet > 0 ? await creditRefundLot(tx, before, fromWallet, `Refund ${id} failed: its wallet part back`) : null;
  await tx.db
    .update(refunds)
    .set({
      status: 'failed',
      failed_at: new Date(),
      failure_reason: reason.slice(0, 500),
      wallet_lot_id: lot,
      ...(before.provider ? {} : provider ? { provider, sent_at: new Date() } : {}),
    })
    .where(eq(refunds.id, id));
  const back = Number(before.amount_paise) - fromWallet;
  if (back > 0) {
    const note = `Refund ${id} failed: kept as credit`;
    const [credit] = await tx.db
      .insert(walletLots)
      .values({ customer_id: before.customer_id as string, source: 'overpayment', payment_id: before.payment_id as string, amount_paise: back, remaining_paise: back, note, created_by: tx.actor?.id ?? null })
      .returning({ id: walletLots.id });
    await audit(tx, { action: 'create', table: 'wallet-lots', recordId: credit.id, after: { source: 'overpayment', payment_id: before.payment_id, amount_paise: back, refund_id: id, note } });
  }
  const after = await getRow(tx, refundResource, id);
  await audit(tx, { action: 'fail', table: 'refunds', recordId: id, before, after });
  return after;
}

/** The customer is told their money went back (WhatsApp, outbox, the caller's transaction): once per refund. */
async function refundSentNotice(tx: Ctx, refund: Row, destination: string): Promise<void> {
  await notifyCustomers(tx.db, 'refund.processed', [
    { customerId: refund.customer_id as string, payload: { amount: formatRupees(Number(refund.amount_paise)), destination }, dedupeKey: `refund-processed:${String(refund.id)}` },
  ]);
}

async function failRefund(ctx: Ctx, id: string, reason: string, provider?: string): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await getRow(tx, refundResource, id, { lock: true });
    if (before.status !== 'approved' && before.status !== 'processing') return before;
    return failIn(tx, before, reason, provider);
  });
}

/**
 * A gateway's result for a refund it was sent (refund.processed / refund.failed, from the webhook): processing ->
 * processed or failed. A repeated or late event changes nothing (`changed: false`): states only move forward.
 */
export async function applyRefundResult(ctx: Ctx, result: RefundResult): Promise<{ refund: Row; changed: boolean }> {
  return transaction(ctx, async (tx) => {
    const [found] = await tx.db
      .select({ id: refunds.id })
      .from(refunds)
      .where(and(eq(refunds.provider, result.provider), eq(refunds.provider_refund_id, result.provider_refund_id)));
    if (!found) throw notFound('Refund');
    const before = await getRow(tx, refundResource, found.id, { lock: true });
    if (before.status !== 'processing') return { refund: before, changed: false };
    if (result.outcome === 'failed') return { refund: await failIn(tx, before, result.reason || 'The gateway reported the refund failed.'), changed: true };
    await tx.db.update(refunds).set({ status: 'processed', processed_at: new Date() }).where(eq(refunds.id, found.id));
    const after = await getRow(tx, refundResource, found.id);
    await audit(tx, { action: 'processed', table: 'refunds', recordId: found.id, before, after });
    await refundSentNotice(tx, after, 'the account you paid from');
    return { refund: after, changed: true };
  });
}

/** Rejects a requested refund with a reason (its requester may withdraw their own this way). */
export async function rejectRefund(ctx: Ctx, id: string, input: { reason: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockIn(tx, id, 'requested', 'rejected');
    await tx.db.update(refunds).set({ status: 'rejected', rejected_by: tx.actor!.id, rejected_at: new Date(), rejection_reason: input.reason }).where(eq(refunds.id, id));
    const after = await getRow(tx, refundResource, id);
    await audit(tx, { action: 'reject', table: 'refunds', recordId: id, before, after });
    // A refund asked to resolve a dispute hands it back to support, in this same transaction.
    await refundDecided(tx, after, 'rejected');
    return after;
  });
}

/** Marks an approved refund paid back by hand (cash, UPI, bank transfer, cheque), with the reference of that money. */
export async function payRefund(ctx: Ctx, id: string, input: { reference: string }): Promise<Row> {
  return transaction(ctx, async (tx) => {
    const before = await lockIn(tx, id, 'approved', 'marked paid');
    if (before.destination !== 'source') throw conflict('A refund to the wallet is credited at approval; nothing is paid by hand.', 'refund_wrong_route');
    if (before.payment_method === 'gateway') throw conflict('A gateway payment is refunded through the gateway, not by hand.', 'refund_wrong_route');
    await tx.db.update(refunds).set({ status: 'paid', paid_by: tx.actor!.id, paid_at: new Date(), paid_reference: input.reference }).where(eq(refunds.id, id));
    const after = await getRow(tx, refundResource, id);
    await audit(tx, { action: 'pay', table: 'refunds', recordId: id, before, after });
    await refundSentNotice(tx, after, `you by ${String(before.payment_method ?? 'hand').replace('_', ' ')} (reference ${input.reference})`);
    return after;
  });
}

export function payRefundOnce(ctx: Ctx, id: string, input: { reference: string }, key: string | undefined): Promise<StoredAnswer<Row>> {
  return idempotent(ctx, key, `refunds.pay:${id}`, async (tx) => ({ status: 200, body: await payRefund(tx, id, input) }));
}

export async function getRefund(ctx: Ctx, id: string): Promise<Row> {
  return getRow(ctx, refundResource, id);
}
