import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { financialYear, todayIST } from '../../api/lib/dates.js';
import { dataHealth, type DataHealth } from '../../api/modules/health/health.service.js';
import { voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import { moneyBackChecks } from '../../api/modules/refunds/refunds.health.js';
import { APP_ROLE, type Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx, type Invoice } from '../helpers/money-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// Refunds and credit notes (issue 12, items 6 and 7) written around the API with raw SQL: each rule must refuse the
// write, by name. Where a trigger refuses before a declarative rule could, the inner rule is shown with the trigger
// dropped inside a rolled-back transaction.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let ctx: Ctx;
let a: CustomerFixture;
let b: CustomerFixture;
let exempt: Awaited<ReturnType<typeof makeProduct>>;
let taxed: Awaited<ReturnType<typeof makeProduct>>;
let requester: string;
let approver: string;
let third: string;
const db = () => database.db;
const exec = (q: SQL) => db().execute(q);
const one = async <T = Record<string, any>>(q: SQL, on: Db = db()) => (await sqlRows<T>(on, q))[0];
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FY = financialYear(todayIST());

/** Runs statements in a transaction that is always rolled back; the constraint the last one tripped. */
async function refusedInRollback(steps: (tx: Db) => Promise<unknown>): Promise<string | undefined> {
  let name: string | undefined;
  await db()
    .transaction(async (tx) => {
      name = await refusedBy(steps(tx as unknown as Db));
      tx.rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Error && /rollback/i.test(e.message + e.name))) throw e;
    });
  return name;
}

interface RefundInput {
  amount?: number;
  reason?: string;
  destination?: string;
  invoice_id?: string | null;
  requested_by?: string;
  customer_id?: string;
  status?: string;
  note?: string;
}
async function request(paymentId: string, customer: CustomerFixture, input: RefundInput = {}, on: Db = db()): Promise<string> {
  const row = await one<{ id: string }>(
    sql`insert into refunds (payment_id, customer_id, invoice_id, amount_paise, reason, destination, requested_by, status, note)
        values (${paymentId}, ${input.customer_id ?? customer.customer.id}, ${input.invoice_id ?? null}, ${input.amount ?? 1000},
                ${input.reason ?? 'goodwill'}::refund_reason, ${input.destination ?? 'source'}::refund_destination,
                ${input.requested_by ?? requester}, ${input.status ?? 'requested'}::refund_status, ${input.note ?? ''}) returning id`,
    on,
  );
  return row.id;
}
const approve = (id: string, by = approver, fromWallet = 0, on: Db = db()) =>
  on.execute(sql`update refunds set status = 'approved', approved_by = ${by}, approved_at = now(), from_wallet_paise = ${fromWallet} where id = ${id}`);
const reject = (id: string, reason: string | null = 'not ours to give', by = approver) =>
  exec(sql`update refunds set status = 'rejected', rejected_by = ${by}, rejected_at = now(), rejection_reason = ${reason} where id = ${id}`);
const markPaid = (id: string, reference: string | null = 'UPI-REFUND-1', by = approver) =>
  exec(sql`update refunds set status = 'paid', paid_by = ${by}, paid_at = now(), paid_reference = ${reference} where id = ${id}`);
const fail = (id: string) => exec(sql`update refunds set status = 'failed', failed_at = now(), failure_reason = 'bank refused' where id = ${id}`);
const statusOf = async (id: string) => (await one<{ status: string }>(sql`select status from refunds where id = ${id}`)).status;
const paymentMoney = (id: string) =>
  one<{ allocated: number; credited: number; refunded: number }>(sql`select allocated_paise::int as allocated, credited_paise::int as credited, refunded_paise::int as refunded from payments where id = ${id}`);
const allocate = (customerId: string, invoiceId: string, paymentId: string, amount: number) =>
  exec(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${customerId}, ${invoiceId}, ${paymentId}, ${amount})`);
const gatewayPayment = async (customerId: string, amount: number, reference: string, status = 'captured') =>
  (
    await one<{ id: string }>(sql`insert into payments (customer_id, amount_paise, method, reference, received_on, status)
      values (${customerId}, ${amount}, 'gateway', ${reference}, current_date, ${status}::payment_status) returning id`)
  ).id;
/** A refund lot of `amount` for the customer, in the caller's transaction. */
const refundLot = async (on: Db, customerId: string, amount: number, source = 'refund') =>
  (
    await one<{ id: string }>(
      sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise) values (${customerId}, ${source}::wallet_lot_source, ${amount}, ${amount}) returning id`,
      on,
    )
  ).id;

interface NoteLine {
  invoice_line_id: string;
  description?: string;
  hsn_code?: string;
  unit?: string;
  gst_rate_bp?: number;
  taxable: number;
  cgst?: number;
  sgst?: number;
  total?: number;
}
interface NoteInput {
  invoice: Invoice;
  customer_id?: string;
  refund_id?: string | null;
  reason?: string;
  lines: NoteLine[];
  /** Header amounts; by default the sums of the lines. */
  header?: Partial<{ taxable: number; exempt: number; cgst: number; sgst: number; total: number }>;
  invoice_number?: string;
  note_date?: string;
  note?: string;
  created_by?: string | null;
  /** Take no number from the counter and use this one. */
  seq?: number;
  number?: string;
}

/** The invoice's lines, as a credit note line needs them. */
const linesOf = (invoiceId: string) =>
  sqlRows<{ id: string; description: string; hsn_code: string; unit: string; gst_rate_bp: number; taxable_paise: number; cgst_paise: number; sgst_paise: number }>(
    db(),
    sql`select id, description, hsn_code, unit, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise from invoice_lines where invoice_id = ${invoiceId} order by description, id`,
  );

/** Issues a credit note as the service does (counter, header, lines) in the caller's transaction. */
async function issueIn(tx: Db, input: NoteInput): Promise<{ id: string; number: string }> {
  const invoiceLines = await sqlRows<{ id: string; description: string; hsn_code: string; unit: string; gst_rate_bp: number }>(
    tx,
    sql`select id, description, hsn_code, unit, gst_rate_bp from invoice_lines where invoice_id = ${input.invoice.id}`,
  );
  const lines = input.lines.map((l) => {
    const il = invoiceLines.find((x) => x.id === l.invoice_line_id);
    const cgst = l.cgst ?? 0;
    const sgst = l.sgst ?? cgst;
    return {
      ...l,
      description: l.description ?? il?.description ?? 'Unknown',
      hsn_code: l.hsn_code ?? il?.hsn_code ?? '0401',
      unit: l.unit ?? il?.unit ?? 'packet',
      gst_rate_bp: l.gst_rate_bp ?? il?.gst_rate_bp ?? 0,
      cgst,
      sgst,
      total: l.total ?? l.taxable + cgst + sgst,
    };
  });
  const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((s, l) => s + f(l), 0);
  const h = {
    taxable: sum((l) => (l.gst_rate_bp > 0 ? l.taxable : 0)),
    exempt: sum((l) => (l.gst_rate_bp === 0 ? l.taxable : 0)),
    cgst: sum((l) => l.cgst),
    sgst: sum((l) => l.sgst),
    ...input.header,
  };
  const total = input.header?.total ?? h.taxable + h.exempt + h.cgst + h.sgst;
  let seq = input.seq;
  if (seq === undefined) {
    const taken = await one<{ seq: number }>(
      sql`insert into credit_note_series (financial_year, next_seq) values (${FY}, 2)
          on conflict (financial_year) do update set next_seq = credit_note_series.next_seq + 1 returning next_seq - 1 as seq`,
      tx,
    );
    seq = taken.seq;
  }
  const number = input.number ?? `CN/${FY}/${String(seq).padStart(6, '0')}`;
  const note = await one<{ id: string }>(
    sql`insert into credit_notes (number, financial_year, seq, customer_id, invoice_id, refund_id, reason, note, note_date, invoice_number, invoice_date,
                                  place_of_supply, supplier, taxable_paise, exempt_paise, cgst_paise, sgst_paise, total_paise, created_by)
        values (${number}, ${FY}, ${seq}, ${input.customer_id ?? input.invoice.customer_id}, ${input.invoice.id}, ${input.refund_id ?? null},
                ${input.reason ?? 'short_delivery'}::refund_reason, ${input.note ?? ''}, ${input.note_date ?? todayIST()}, ${input.invoice_number ?? input.invoice.number},
                ${input.invoice.invoice_date}, ${input.invoice.place_of_supply}, ${JSON.stringify(input.invoice.supplier)}::jsonb,
                ${h.taxable}, ${h.exempt}, ${h.cgst}, ${h.sgst}, ${total}, ${input.created_by === undefined ? requester : input.created_by})
        returning id`,
    tx,
  );
  for (const l of lines) {
    await tx.execute(sql`insert into credit_note_lines (credit_note_id, invoice_line_id, description, hsn_code, unit, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
      values (${note.id}, ${l.invoice_line_id}, ${l.description}, ${l.hsn_code}, ${l.unit}, ${l.gst_rate_bp}, ${l.taxable}, ${l.cgst}, ${l.sgst}, ${l.total})`);
  }
  return { id: note.id, number };
}
/** Issues a credit note in a transaction of its own (the deferred rules run at its commit). */
const issue = (input: NoteInput) => db().transaction((tx) => issueIn(tx as unknown as Db, input));

let invA: Invoice;

beforeAll(async () => {
  database = await freshDatabase();
  const user = async (email: string) => (await one<{ id: string }>(sql`insert into users (email, name, password_hash) values (${email}, ${email}, 'x') returning id`)).id;
  requester = await user('refund-requester@milkrun.test');
  approver = await user('refund-approver@milkrun.test');
  third = await user('refund-third@milkrun.test');
  ctx = serviceCtx(db(), approver);
  a = await makeCustomer(db());
  b = await makeCustomer(db());
  exempt = await makeProduct(db(), { price_paise: 10000, gst_rate_bp: 0 });
  taxed = await makeProduct(db(), { price_paise: 10000, gst_rate_bp: 500, hsn_code: '0406' });
  invA = await makeInvoice(ctx, a, exempt);
});
afterAll(() => database?.drop());

describe('refunds', () => {
  test('amounts are positive bigint paise within the business bound; texts are short', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    expect(await refusedBy(request(p, a, { amount: 0 }))).toBe('refunds_amount_positive');
    expect(await refusedBy(request(p, a, { amount: -5 }))).toBe('refunds_amount_positive');
    // The capture rule refuses first; without it, the business bound.
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table refunds disable trigger refunds_check`);
        await request(p, a, { amount: 3_000_000_000 }, tx);
      }),
    ).toBe('refunds_amount_max');
    expect(await refusedBy(request(p, a, { note: 'x'.repeat(1001) }))).toBe('refunds_note_length');
    const r = await request(p, a);
    expect(await refusedBy(reject(r, 'x'.repeat(501)))).toBe('refunds_text_lengths');
  });

  test('a refund starts as requested, of money in hand: a captured payment, a cheque once cleared', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    expect(
      await refusedBy(
        exec(sql`insert into refunds (payment_id, customer_id, amount_paise, reason, destination, requested_by, status, approved_by, approved_at)
                 values (${p}, ${a.customer.id}, 100, 'goodwill', 'source', ${requester}, 'approved', ${approver}, now())`),
      ),
    ).toBe('refunds_status_forward');
    const pending = await gatewayPayment(a.customer.id, 5000, 'pay_refund_created', 'created');
    expect(await refusedBy(request(pending, a))).toBe('refunds_payment_captured');
    const cheque = await insertPayment(db(), a.customer.id, 5000, { method: 'cheque', reference: '700001' });
    expect(await refusedBy(request(cheque, a))).toBe('refunds_payment_captured');
    await exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on where id = ${cheque}`);
    expect(await refusedBy(request(cheque, a))).toBe('refunds_payment_captured');
    await exec(sql`update payments set cheque_status = 'cleared', cheque_cleared_on = received_on where id = ${cheque}`);
    expect(await statusOf(await request(cheque, a))).toBe('requested');
  });

  test("a payment's refunds never pass what was captured; rejected and failed ones no longer count", async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    await request(p, a, { amount: 6000 });
    const second = await request(p, a, { amount: 4000 });
    expect(await refusedBy(request(p, a, { amount: 1 }))).toBe('refunds_within_capture');
    await reject(second);
    const third = await request(p, a, { amount: 4000 });
    expect(await refusedBy(request(p, a, { amount: 1 }))).toBe('refunds_within_capture');
    await approve(third);
    await fail(third);
    await request(p, a, { amount: 4000 });
  });

  test('only a credit-note reason names an invoice, one its payment settled; everything is the customer’s', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    expect(await refusedBy(request(p, a, { reason: 'goodwill', invoice_id: invA.id }))).toBe('refunds_invoice_for_credit_reasons');
    expect(await refusedBy(request(p, a, { reason: 'short_delivery', invoice_id: invA.id }))).toBe('refunds_invoice_paid_by_payment');
    const inv = await makeInvoice(ctx, a, exempt);
    await allocate(a.customer.id, inv.id, p, 5000);
    await request(p, a, { reason: 'short_delivery', invoice_id: inv.id, amount: 500 });
    const pb = await insertPayment(db(), b.customer.id, 10000);
    expect(await refusedBy(request(pb, a))).toBe('refunds_payment_fk');
    // b's invoice with a's payment: the trigger refuses first (a's payment settles none of it); without it, the key.
    const invB = await makeInvoice(ctx, b, exempt);
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table refunds disable trigger refunds_check`);
        await request(p, a, { reason: 'short_delivery', invoice_id: invB.id }, tx);
      }),
    ).toBe('refunds_invoice_fk');
    expect(await refusedBy(request(p, a, { requested_by: UNKNOWN }))).toBe('refunds_requested_by_fk');
  });

  test('the requester never approves their own refund (whoever rejects or pays)', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    const r = await request(p, a, { requested_by: requester });
    expect(await refusedBy(approve(r, requester))).toBe('refunds_not_own_approval');
    expect(await refusedBy(approve(r, UNKNOWN))).toBe('refunds_approved_by_fk');
    await approve(r, approver);
    expect(await refusedBy(markPaid(r, 'CASH-1', UNKNOWN))).toBe('refunds_paid_by_fk');
    await markPaid(r, 'CASH-1', requester);
    const other = await request(p, a);
    expect(await refusedBy(reject(other, 'no', UNKNOWN))).toBe('refunds_rejected_by_fk');
  });

  test('states only move forward, each transition with its own columns, which never change after', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    const r = await request(p, a);
    expect(await refusedBy(markPaid(r))).toBe('refunds_status_forward');
    expect(await refusedBy(exec(sql`update refunds set status = 'approved' where id = ${r}`))).toBe('refunds_approval_consistent');
    expect(await refusedBy(reject(r, null))).toBe('refunds_rejection_consistent');
    expect(await refusedBy(reject(r, '   '))).toBe('refunds_rejection_consistent');
    // A decision's columns go only with its state.
    expect(await refusedBy(exec(sql`update refunds set approved_by = ${approver} where id = ${r}`))).toBe('refunds_immutable');
    await approve(r);
    expect(await refusedBy(exec(sql`update refunds set status = 'requested', approved_by = null, approved_at = null where id = ${r}`))).toBe('refunds_status_forward');
    expect(await refusedBy(exec(sql`update refunds set approved_by = ${third} where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`update refunds set status = 'processed', processed_at = now() where id = ${r}`))).toBe('refunds_status_forward');
    expect(await refusedBy(markPaid(r, null))).toBe('refunds_result_consistent');
    expect(await refusedBy(exec(sql`update refunds set status = 'failed', failed_at = now() where id = ${r}`))).toBe('refunds_result_consistent');
    await markPaid(r, 'UPI-REF-77');
    expect(await refusedBy(exec(sql`update refunds set paid_reference = 'UPI-REF-78' where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(fail(r))).toBe('refunds_status_forward');
    const rejected = await request(p, a);
    await reject(rejected);
    expect(await refusedBy(approve(rejected))).toBe('refunds_status_forward');
    const wallet = await request(p, a, { destination: 'wallet', amount: 500 });
    expect(await refusedBy(approve(wallet, approver, 501))).toBe('refunds_from_wallet_within_amount');
  });

  test('a gateway payment is refunded by the gateway; any other is paid back by hand', async () => {
    const cash = await insertPayment(db(), a.customer.id, 10000);
    const byHand = await request(cash, a);
    await approve(byHand);
    expect(
      await refusedBy(exec(sql`update refunds set status = 'processing', provider = 'fake', provider_refund_id = 'rfnd_x1', sent_at = now() where id = ${byHand}`)),
    ).toBe('refunds_settled_by_method');
    const gw = await gatewayPayment(a.customer.id, 10000, 'pay_refund_gw1');
    const viaGateway = await request(gw, a);
    await approve(viaGateway);
    expect(await refusedBy(markPaid(viaGateway))).toBe('refunds_settled_by_method');
    expect(await refusedBy(exec(sql`update refunds set status = 'processing' where id = ${viaGateway}`))).toBe('refunds_result_consistent');
    await exec(sql`update refunds set status = 'processing', provider = 'fake', provider_refund_id = 'rfnd_gw1', sent_at = now() where id = ${viaGateway}`);
    expect(await refusedBy(exec(sql`update refunds set provider_refund_id = 'rfnd_other' where id = ${viaGateway}`))).toBe('refunds_immutable');
    // One gateway refund id marks one refund.
    const again = await request(gw, a);
    await approve(again);
    expect(
      await refusedBy(exec(sql`update refunds set status = 'processing', provider = 'fake', provider_refund_id = 'rfnd_gw1', sent_at = now() where id = ${again}`)),
    ).toBe('refunds_provider_refund_key');
    await exec(sql`update refunds set status = 'processed', processed_at = now() where id = ${viaGateway}`);
    expect(await refusedBy(fail(viaGateway))).toBe('refunds_status_forward');
  });

  test('nothing is rebound to another payment, customer, invoice or amount, and nothing is deleted', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    const other = await insertPayment(db(), a.customer.id, 10000);
    const pb = await insertPayment(db(), b.customer.id, 10000);
    const r = await request(p, a);
    expect(await refusedBy(exec(sql`update refunds set payment_id = ${other} where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`update refunds set payment_id = ${pb}, customer_id = ${b.customer.id} where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`update refunds set amount_paise = 9000 where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`update refunds set reason = 'cancellation' where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`update refunds set destination = 'wallet' where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`update refunds set requested_by = ${approver} where id = ${r}`))).toBe('refunds_immutable');
    expect(await refusedBy(exec(sql`delete from refunds where id = ${r}`))).toBe('refunds_immutable');
    // With the guard gone, the composite key still ties the payment to the customer.
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table refunds disable trigger refunds_guard`);
        await tx.execute(sql`update refunds set customer_id = ${b.customer.id} where id = ${r}`);
      }),
    ).toBe('refunds_payment_fk');
  });

  test('approval takes the money out of the payment, only what is free there; a failure gives it back', async () => {
    const inv = await makeInvoice(ctx, a, exempt);
    const p = await insertPayment(db(), a.customer.id, 10000);
    await allocate(a.customer.id, inv.id, p, 10000);
    const r = await request(p, a, { amount: 1000 });
    // All of it settles the invoice: nothing to give back until part of it is freed.
    expect(await refusedBy(approve(r))).toBe('payments_refunded_within_amount');
    await exec(sql`update payment_allocations set reversed_at = now(), reversal_reason = 'refund' where payment_id = ${p}`);
    await allocate(a.customer.id, inv.id, p, 9000);
    await approve(r);
    expect(await paymentMoney(p)).toEqual({ allocated: 9000, credited: 0, refunded: 1000 });
    // The freed money is gone: it cannot settle the invoice again.
    expect(await refusedBy(allocate(a.customer.id, inv.id, p, 1000))).toBe('payments_refunded_within_amount');
    expect(await refusedBy(exec(sql`update payments set refunded_paise = 0 where id = ${p}`))).toBe('payments_refunded_from_refunds');
    await fail(r);
    expect(await paymentMoney(p)).toEqual({ allocated: 9000, credited: 0, refunded: 0 });
    // A wallet part (what it took back from lots the payment funded) is not taken out of the payment again.
    const fromWallet = await request(p, a, { amount: 1000 });
    await approve(fromWallet, approver, 1000);
    expect(await paymentMoney(p)).toEqual({ allocated: 9000, credited: 0, refunded: 0 });
    // Approval too needs money in hand.
    const cheque = await insertPayment(db(), a.customer.id, 5000, { method: 'cheque', reference: '700002' });
    await exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on where id = ${cheque}`);
    await exec(sql`update payments set cheque_status = 'cleared', cheque_cleared_on = received_on where id = ${cheque}`);
    const onCheque = await request(cheque, a, { amount: 100 });
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table payments disable trigger payments_guard`);
        await tx.execute(sql`update payments set status = 'refunded' where id = ${cheque}`);
        await approve(onCheque, approver, 0, tx);
      }),
    ).toBe('refunds_payment_captured');
  });

  test('a wallet refund credits a refund lot of its amount, made with it, its own', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    const r = await request(p, a, { destination: 'wallet', amount: 700 });
    await approve(r);
    expect(await refusedBy(exec(sql`update refunds set status = 'processed', processed_at = now() where id = ${r}`))).toBe('refunds_wallet_destination');
    expect(await refusedBy(exec(sql`update refunds set status = 'paid', paid_by = ${approver}, paid_at = now(), paid_reference = 'X' where id = ${r}`))).toBe(
      'refunds_wallet_destination',
    );
    const credit = (lotOf: (tx: Db) => Promise<string>) =>
      db().transaction(async (tx) => {
        const lot = await lotOf(tx as unknown as Db);
        await tx.execute(sql`update refunds set status = 'processed', processed_at = now(), wallet_lot_id = ${lot} where id = ${r}`);
      });
    expect(await refusedBy(credit((tx) => refundLot(tx, a.customer.id, 699)))).toBe('refunds_wallet_lot_matches');
    expect(await refusedBy(credit((tx) => refundLot(tx, a.customer.id, 700, 'promo')))).toBe('refunds_wallet_lot_matches');
    const earlier = await refundLot(db(), a.customer.id, 700);
    expect(await refusedBy(credit(async () => earlier))).toBe('refunds_wallet_lot_matches');
    expect(await refusedBy(credit((tx) => refundLot(tx, b.customer.id, 700)))).toBe('refunds_wallet_lot_fk');
    let lotId = '';
    await credit(async (tx) => (lotId = await refundLot(tx, a.customer.id, 700)));
    expect(await statusOf(r)).toBe('processed');
    expect(Number((await one<{ wallet_paise: string }>(sql`select wallet_paise from customer_balances where customer_id = ${a.customer.id}`)).wallet_paise)).toBeGreaterThanOrEqual(700);
    // One lot credits one refund.
    const second = await request(p, a, { destination: 'wallet', amount: 700 });
    await approve(second);
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table refunds disable trigger refunds_guard`);
        await tx.execute(sql`update refunds set status = 'processed', processed_at = now(), wallet_lot_id = ${lotId} where id = ${second}`);
      }),
    ).toBe('refunds_wallet_lot_key');
  });

  test('(id, customer_id) is unique: the target of the credit notes’ composite key', async () => {
    const p = await insertPayment(db(), a.customer.id, 10000);
    const r = await request(p, a);
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`alter table refunds drop constraint refunds_pkey cascade`);
        await tx.execute(sql`insert into refunds select * from refunds where id = ${r}`);
      }),
    ).toBe('refunds_id_customer_key');
  });
});

describe('credit notes', () => {
  test('numbered CN/yy-yy/000001 from their own counter per financial year, with no gap, at most 16 characters', async () => {
    const inv = await makeInvoice(ctx, a, exempt);
    const [line] = await linesOf(inv.id);
    const first = await issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }] });
    expect(first.number).toMatch(/^CN\/\d{2}-\d{2}\/\d{6}$/);
    expect(first.number.length).toBeLessThanOrEqual(16);
    const top = (await one<{ seq: number }>(sql`select max(seq) as seq from credit_notes where financial_year = ${FY}`)).seq;
    // A number the counter did not hand out, or one that skips a number.
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }], seq: top + 5 }))).toBe('credit_notes_seq_from_counter');
    // A number handed out and not used cannot be committed.
    expect(
      await refusedBy(db().transaction(async (tx) => tx.execute(sql`update credit_note_series set next_seq = next_seq + 1 where financial_year = ${FY}`))),
    ).toBe('credit_note_series_no_gap');
    expect(await refusedBy(exec(sql`delete from credit_note_series where financial_year = ${FY}`))).toBe('credit_note_series_no_gap');
    expect(await refusedBy(exec(sql`update credit_note_series set next_seq = 0 where financial_year = ${FY}`))).toBe('credit_note_series_next_range');
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }], number: 'CN/99-00/000001' }))).toBe('credit_notes_number_derived');
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }], seq: 0 }))).toBe('credit_notes_seq_range');
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }], seq: top }))).toBe('credit_notes_year_seq_key');
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table credit_notes drop constraint credit_notes_year_seq_key`);
        await issueIn(tx, { invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }], seq: top });
      }),
    ).toBe('credit_notes_number_key');
    // The financial year is the note's date's (from 1 April).
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table credit_notes disable trigger credit_notes_check`);
        await issueIn(tx, { invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 100 }], note_date: '2031-06-01' });
      }),
    ).toBe('credit_notes_financial_year_of_date');
  });

  test('cites its issued invoice by number and date; with a refund, that approved refund’s own', async () => {
    const inv = await makeInvoice(ctx, a, exempt);
    const [line] = await linesOf(inv.id);
    const part = { invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 500 }] };
    expect(await refusedBy(issue({ ...part, invoice_number: 'MR/00-01/000001' }))).toBe('credit_notes_cites_invoice');
    expect(await refusedBy(issue({ ...part, customer_id: b.customer.id }))).toBe('credit_notes_invoice_fk');
    expect(await refusedBy(issue({ ...part, reason: 'goodwill' }))).toBe('credit_notes_credit_reason');
    expect(await refusedBy(issue({ ...part, note: 'x'.repeat(1001) }))).toBe('credit_notes_note_length');
    expect(await refusedBy(issue({ ...part, note_date: '2000-01-01' }))).toBe('credit_notes_date_range');
    expect(await refusedBy(issue({ ...part, created_by: UNKNOWN }))).toBe('credit_notes_created_by_fk');
    const p = await insertPayment(db(), a.customer.id, 10000);
    await allocate(a.customer.id, inv.id, p, 5000);
    const r = await request(p, a, { reason: 'short_delivery', invoice_id: inv.id, amount: 500 });
    expect(await refusedBy(issue({ ...part, refund_id: r }))).toBe('credit_notes_match_refund');
    await approve(r);
    expect(await refusedBy(issue({ ...part, refund_id: r, reason: 'spoilt_product' }))).toBe('credit_notes_match_refund');
    expect(await refusedBy(issue({ ...part, refund_id: r, lines: [{ invoice_line_id: line.id, taxable: 400 }] }))).toBe('credit_notes_match_refund');
    await issue({ ...part, refund_id: r });
    expect(await refusedBy(issue({ ...part, refund_id: r }))).toBe('credit_notes_refund_key');
    // b's refund on a's invoice: the trigger refuses first (another invoice); without it, the composite key.
    const pb = await insertPayment(db(), b.customer.id, 10000);
    const rb = await request(pb, b, { amount: 500 });
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table credit_notes disable trigger credit_notes_check`);
        await issueIn(tx, { ...part, refund_id: rb });
      }),
    ).toBe('credit_notes_refund_fk');
    const voided = await makeInvoice(ctx, a, exempt);
    const [voidedLine] = await linesOf(voided.id);
    await voidInvoice(ctx, voided.id, { reason: 'wrong customer' });
    expect(await refusedBy(issue({ invoice: { ...voided, status: 'void' }, lines: [{ invoice_line_id: voidedLine.id, taxable: 100 }] }))).toBe('credit_notes_invoice_issued');
  });

  test('never past the invoice: its total, then what is still due; the balance due falls with it', async () => {
    const c = await makeCustomer(db());
    const inv = await makeInvoice(ctx, c, exempt);
    const [line] = await linesOf(inv.id);
    await issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 3000 }] });
    const after = await one<{ credited: number; due: number; status: string }>(
      sql`select credited_paise::int as credited, balance_due_paise::int as due, payment_status as status from invoices where id = ${inv.id}`,
    );
    expect(after).toEqual({ credited: 3000, due: 7000, status: 'partially_paid' });
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 7001 }] }))).toBe('credit_notes_within_invoice');
    const p = await insertPayment(db(), c.customer.id, 7000);
    await allocate(c.customer.id, inv.id, p, 7000);
    // Paid in full: a further note would take the invoice below what was paid for it.
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 1 }] }))).toBe('invoices_paid_within_total');
    // The void of an invoice with a credit note is refused (its credit stays on it).
    expect(await refusedBy(exec(sql`update invoices set status = 'void', void_reason = 'x', voided_at = now() where id = ${inv.id}`))).toBe('invoices_void_unpaid');
  });

  test('a note is the sum of its lines; each reverses part of a line of its invoice, never more than the line holds', async () => {
    const inv = await makeInvoice(ctx, await makeCustomer(db()), taxed);
    const [line] = await linesOf(inv.id);
    expect(line).toMatchObject({ taxable_paise: 10000, cgst_paise: 250, sgst_paise: 250 });
    const base = { invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 1000, cgst: 25 }] };
    expect(await refusedBy(issue({ ...base, header: { cgst: 24, total: 1049 } }))).toBe('credit_notes_total_matches_lines');
    expect(await refusedBy(issue({ ...base, lines: [], header: { taxable: 1000, total: 1000 } }))).toBe('credit_notes_total_matches_lines');
    expect(await refusedBy(issue({ ...base, header: { total: 1 } }))).toBe('credit_notes_total_exact');
    expect(await refusedBy(issue({ ...base, header: { taxable: -1000, exempt: 2000 } }))).toBe('credit_notes_amounts_valid');
    expect(await refusedBy(issue({ ...base, lines: [{ invoice_line_id: line.id, taxable: 1000, cgst: 25, total: 1 }] }))).toBe('credit_note_lines_total_exact');
    expect(await refusedBy(issue({ ...base, lines: [{ invoice_line_id: line.id, taxable: -1, cgst: 25, total: 49 }], header: { taxable: 0, total: 50 } }))).toBe(
      'credit_note_lines_amounts_valid',
    );
    expect(await refusedBy(issue({ ...base, lines: [{ invoice_line_id: line.id, taxable: 1000, cgst: 25, gst_rate_bp: 1800 }] }))).toBe('credit_note_lines_of_invoice');
    expect(await refusedBy(issue({ ...base, lines: [{ invoice_line_id: line.id, taxable: 1000, cgst: 25, description: 'Something else' }] }))).toBe(
      'credit_note_lines_of_invoice',
    );
    const [otherLine] = await linesOf(invA.id);
    expect(await refusedBy(issue({ ...base, lines: [{ invoice_line_id: otherLine.id, taxable: 1000, cgst: 25, gst_rate_bp: 500 }] }))).toBe('credit_note_lines_of_invoice');
    expect(await refusedBy(issue({ ...base, lines: [{ invoice_line_id: UNKNOWN, taxable: 1000, cgst: 25, gst_rate_bp: 500 }] }))).toBe('credit_note_lines_invoice_line_fk');
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table credit_note_lines disable trigger credit_note_lines_check`);
        await issueIn(tx, { ...base, lines: [{ invoice_line_id: line.id, taxable: 1000, cgst: 25, gst_rate_bp: 1234 }] });
      }),
    ).toBe('credit_note_lines_gst_rate_fk');
    expect(
      await refusedBy(exec(sql`insert into credit_note_lines (credit_note_id, invoice_line_id, description, hsn_code, unit, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        values (${UNKNOWN}, ${line.id}, 'x', '0401', 'packet', 0, 1, 0, 0, 1)`)),
    ).toBe('credit_note_lines_note_fk');
    // Two notes together may not reverse more tax of the line than it holds (its 250 paise of CGST).
    const first = await issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 0, cgst: 200 }] });
    expect(await refusedBy(issue({ invoice: inv, lines: [{ invoice_line_id: line.id, taxable: 0, cgst: 51 }] }))).toBe('credit_note_lines_within_invoice_line');
    // Issued: nothing added, changed or removed.
    expect(
      await refusedBy(exec(sql`insert into credit_note_lines (credit_note_id, invoice_line_id, description, hsn_code, unit, gst_rate_bp, taxable_paise, cgst_paise, sgst_paise, total_paise)
        select ${first.id}, id, description, hsn_code, unit, gst_rate_bp, 1, 0, 0, 1 from invoice_lines where id = ${line.id}`)),
    ).toBe('credit_note_lines_immutable');
    expect(await refusedBy(exec(sql`update credit_note_lines set taxable_paise = 0 where credit_note_id = ${first.id}`))).toBe('credit_note_lines_immutable');
    expect(await refusedBy(exec(sql`delete from credit_note_lines where credit_note_id = ${first.id}`))).toBe('credit_note_lines_immutable');
    expect(await refusedBy(exec(sql`update credit_notes set note = 'changed' where id = ${first.id}`))).toBe('credit_notes_immutable');
    expect(await refusedBy(exec(sql`delete from credit_notes where id = ${first.id}`))).toBe('credit_notes_immutable');
  });
});

describe('data health', () => {
  test('finds refunds past a capture and credit notes past an invoice written with the rules bypassed', async () => {
    // A consistent set first: a refund approved and paid, a credit note for a refund against an invoice.
    const c = await makeCustomer(db());
    const inv = await makeInvoice(ctx, c, taxed);
    const [line] = await linesOf(inv.id);
    const p = await insertPayment(db(), c.customer.id, 10500);
    await allocate(c.customer.id, inv.id, p, 10000);
    const paidBack = await request(p, c, { amount: 300 });
    await approve(paidBack);
    await markPaid(paidBack, 'CASH-9');
    const credited = await request(p, c, { reason: 'short_delivery', invoice_id: inv.id, amount: 200 });
    await approve(credited);
    const note = await issue({ invoice: inv, refund_id: credited, lines: [{ invoice_line_id: line.id, taxable: 190, cgst: 5 }] });
    expect((await dataHealth(db())).checks.filter((x) => moneyBackChecks.some((m) => m.name === x.name) && x.count > 0)).toEqual([]);

    let health: DataHealth | undefined;
    const broken: Record<string, string> = {};
    await db()
      .transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        // A refund past the capture (the trigger and the payment's CHECK gone, as a restore without them would leave).
        await tx.execute(sql`alter table payments drop constraint payments_refunded_within_amount`);
        await tx.execute(sql`insert into refunds (payment_id, customer_id, amount_paise, reason, destination, requested_by) values (${p}, ${c.customer.id}, 50000, 'goodwill', 'source', ${requester})`);
        broken.refunds_past_capture = p;
        // Approved by its requester.
        await tx.execute(sql`alter table refunds drop constraint refunds_not_own_approval`);
        await tx.execute(sql`update refunds set approved_by = requested_by where id = ${paidBack}`);
        broken.refunds_inconsistent = paidBack;
        // A credit note past its invoice, and one whose lines are not its total.
        await tx.execute(sql`update invoices set credited_paise = 0 where id = ${inv.id}`);
        broken.credit_notes_past_invoice = inv.id;
        await tx.execute(sql`update credit_note_lines set taxable_paise = 1, total_paise = 11 where credit_note_id = ${note.id}`);
        broken.credit_notes_inconsistent = note.id;
        await tx.execute(sql`update credit_note_series set next_seq = next_seq + 1 where financial_year = ${FY}`);
        const top = (await one<{ top: number }>(sql`select next_seq - 1 as top from credit_note_series where financial_year = ${FY}`, tx as unknown as Db)).top;
        broken.credit_note_number_gaps = `CN/${FY}#${top}`;
        health = await dataHealth(tx as unknown as Db);
        tx.rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Error && /rollback/i.test(err.message + err.name))) throw err;
      });
    for (const [name, id] of Object.entries(broken)) {
      const check = health!.checks.find((x) => x.name === name)!;
      expect(check.count, name).toBeGreaterThan(0);
      expect(check.examples, name).toContain(id);
    }
    expect(Object.keys(broken).sort()).toEqual(moneyBackChecks.map((m) => m.name).sort());
    expect((await dataHealth(db())).checks.filter((x) => moneyBackChecks.some((m) => m.name === x.name) && x.count > 0)).toEqual([]);
  });
});

// The API's role on PostgreSQL (PGlite has one superuser connection).
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('the app role', () => {
  test('cannot delete refunds nor change or delete credit notes (42501)', async () => {
    const asApp = postgres(database.url!, { max: 1, onnotice: () => {}, connection: { role: APP_ROLE } as never });
    try {
      const codeOf = (statement: string) =>
        asApp.unsafe(statement).then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? String(e),
        );
      for (const table of ['refunds', 'credit_notes', 'credit_note_lines', 'credit_note_series']) expect(await codeOf(`delete from ${table}`), table).toBe('42501');
      expect(await codeOf(`update credit_notes set note = 'x'`)).toBe('42501');
      expect(await codeOf(`update credit_note_lines set taxable_paise = 0`)).toBe('42501');
      expect(await codeOf('select count(*) from credit_notes')).toBe('ok');
    } finally {
      await asApp.end();
    }
  });
});
