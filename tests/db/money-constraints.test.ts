import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { pgErrorOf } from '../../api/lib/errors.js';
import { APP_ROLE, type Db } from '../../db/client.js';
import { freshDatabase } from '../helpers/app.js';
import { makeCustomer, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx, type Invoice } from '../helpers/money-fixtures.js';
import { refusedBy } from '../helpers/refused.js';

// The money rules of issue 12, written around the API with raw SQL: each must refuse the write, by name. Where two
// layers hold a rule (a guard trigger, then a composite foreign key), the inner one is shown too with the outer
// dropped inside a rolled-back transaction.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let ctx: Ctx;
let a: CustomerFixture;
let b: CustomerFixture;
let product: Awaited<ReturnType<typeof makeProduct>>;
let userId: string;
const db = () => database.db;
const exec = (q: SQL) => db().execute(q);
const one = async <T = Record<string, any>>(q: SQL) => (await sqlRows<T>(db(), q))[0];

/** The constraint that refused the promise (it must reject with a PostgreSQL error). */

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

const allocate = (customerId: string, invoiceId: string, paymentId: string, amount: number) =>
  exec(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${customerId}, ${invoiceId}, ${paymentId}, ${amount}) returning id`);
const allocationId = async (invoiceId: string) => (await one<{ id: string }>(sql`select id from payment_allocations where invoice_id = ${invoiceId} and reversed_at is null limit 1`)).id;
const invoiceOf = (id: string) => one<{ paid_paise: number; balance_due_paise: number; payment_status: string | null; status: string }>(sql`select paid_paise::int, balance_due_paise::int, payment_status, status from invoices where id = ${id}`);
const lot = async (customerId: string, amount: number, extra: { source?: string; expires?: SQL; payment_id?: string } = {}) =>
  (
    await one<{ id: string }>(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise, expires_at, payment_id)
      values (${customerId}, ${extra.source ?? 'promo'}::wallet_lot_source, ${amount}, ${amount}, ${extra.expires ?? sql`null`}, ${extra.payment_id ?? null}) returning id`)
  ).id;
const line = (customerId: string, lotId: string, kind: string, amount: number, invoiceId: string | null = null) =>
  exec(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, invoice_id) values (${customerId}, ${lotId}, ${kind}::wallet_entry_kind, ${amount}, ${invoiceId}) returning id`);

let invA: Invoice;
let invB: Invoice;

beforeAll(async () => {
  database = await freshDatabase();
  [{ id: userId }] = await sqlRows<{ id: string }>(db(), sql`insert into users (email, name, password_hash) values ('money-db@milkrun.test', 'Money', 'x') returning id`);
  ctx = serviceCtx(db(), userId);
  a = await makeCustomer(db());
  b = await makeCustomer(db());
  product = await makeProduct(db(), { price_paise: 10000, gst_rate_bp: 0 });
  invA = await makeInvoice(ctx, a, product);
  invB = await makeInvoice(ctx, b, product);
});
afterAll(() => database?.drop());

describe('payments', () => {
  test('amounts are positive bigint paise within the business bound', async () => {
    expect(await refusedBy(insertPayment(db(), a.customer.id, 0))).toBe('payments_amount_positive');
    expect(await refusedBy(insertPayment(db(), a.customer.id, -5))).toBe('payments_amount_positive');
    expect(await refusedBy(insertPayment(db(), a.customer.id, 1_000_000_001))).toBe('payments_amount_max');
    // bigint: past 2^31 is a value the column takes (refused only by the business bound above).
    const big = await refusedBy(exec(sql`insert into payments (customer_id, amount_paise, method, received_on) values (${a.customer.id}, 3000000000, 'cash', current_date)`));
    expect(big).toBe('payments_amount_max');
  });

  test('a reference is required for every method but cash, and is short', async () => {
    expect(await refusedBy(insertPayment(db(), a.customer.id, 100, { method: 'upi' }))).toBe('payments_reference_required');
    expect(await refusedBy(insertPayment(db(), a.customer.id, 100, { method: 'bank_transfer', reference: '   ' }))).toBe('payments_reference_required');
    expect(await refusedBy(insertPayment(db(), a.customer.id, 100, { method: 'upi', reference: 'x'.repeat(101) }))).toBe('payments_reference_length');
    await insertPayment(db(), a.customer.id, 100);
  });

  test('dates within range; the customer exists; the recorder exists', async () => {
    expect(await refusedBy(exec(sql`insert into payments (customer_id, amount_paise, method, received_on) values (${a.customer.id}, 100, 'cash', '1999-12-31')`))).toBe('payments_received_on_range');
    expect(await refusedBy(insertPayment(db(), '00000000-0000-4000-8000-000000000000', 100))).toBe('payments_customer_id_fk');
    expect(
      await refusedBy(exec(sql`insert into payments (customer_id, amount_paise, method, received_on, recorded_by) values (${a.customer.id}, 100, 'cash', current_date, '00000000-0000-4000-8000-000000000000')`)),
    ).toBe('payments_recorded_by_fk');
  });

  test('only cheques have cheque states, with dates that follow them', async () => {
    expect(await refusedBy(exec(sql`insert into payments (customer_id, amount_paise, method, reference, received_on) values (${a.customer.id}, 100, 'cheque', '000111', current_date)`))).toBe(
      'payments_cheque_status_for_cheques',
    );
    expect(await refusedBy(insertPayment(db(), a.customer.id, 100, { method: 'cash', cheque_status: 'received' }))).toBe('payments_cheque_status_for_cheques');
    const cheque = await insertPayment(db(), a.customer.id, 100, { method: 'cheque', reference: '000222' });
    expect(await refusedBy(exec(sql`update payments set cheque_status = 'deposited' where id = ${cheque}`))).toBe('payments_cheque_dates_consistent');
    expect(await refusedBy(exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on - 1 where id = ${cheque}`))).toBe(
      'payments_cheque_dates_consistent',
    );
    await exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on where id = ${cheque}`);
    expect(await refusedBy(exec(sql`update payments set cheque_status = 'bounced', bounced_on = current_date where id = ${cheque}`))).toBe('payments_cheque_dates_consistent');
  });

  test('cheque and payment states only move forward', async () => {
    const cheque = await insertPayment(db(), a.customer.id, 100, { method: 'cheque', reference: '000333' });
    expect(await refusedBy(exec(sql`update payments set cheque_status = 'cleared', cheque_deposited_on = received_on, cheque_cleared_on = received_on where id = ${cheque}`))).toBe(
      'payments_cheque_forward',
    );
    await exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on where id = ${cheque}`);
    await exec(sql`update payments set cheque_status = 'cleared', cheque_cleared_on = received_on where id = ${cheque}`);
    expect(await refusedBy(exec(sql`update payments set cheque_status = 'bounced', bounced_on = current_date, bounce_reason = 'late' where id = ${cheque}`))).toBe('payments_cheque_forward');
    const gateway = await one<{ id: string }>(sql`insert into payments (customer_id, amount_paise, method, reference, received_on, status)
      values (${a.customer.id}, 100, 'gateway', 'pay_forward1', current_date, 'created') returning id`);
    await exec(sql`update payments set status = 'captured' where id = ${gateway.id}`);
    expect(await refusedBy(exec(sql`update payments set status = 'authorized' where id = ${gateway.id}`))).toBe('payments_status_forward');
    expect(await refusedBy(exec(sql`update payments set status = 'failed' where id = ${gateway.id}`))).toBe('payments_status_forward');
  });

  test('what was received never changes, and payments are never deleted', async () => {
    const p = await insertPayment(db(), a.customer.id, 500);
    expect(await refusedBy(exec(sql`update payments set amount_paise = 50000 where id = ${p}`))).toBe('payments_immutable');
    expect(await refusedBy(exec(sql`update payments set customer_id = ${b.customer.id} where id = ${p}`))).toBe('payments_immutable');
    expect(await refusedBy(exec(sql`delete from payments where id = ${p}`))).toBe('payments_immutable');
    expect(await refusedBy(exec(sql`update payments set allocated_paise = 500 where id = ${p}`))).toBe('payments_applied_from_allocations');
  });

  test('one bank credit is recorded once: UTR and UPI references are unique; a cheque number per customer until it bounces', async () => {
    await insertPayment(db(), a.customer.id, 100, { method: 'upi', reference: 'UPI-123456789012' });
    expect(await refusedBy(insertPayment(db(), b.customer.id, 100, { method: 'upi', reference: 'UPI-123456789012' }))).toBe('payments_bank_reference_key');
    await insertPayment(db(), a.customer.id, 100, { method: 'cheque', reference: '445566' });
    expect(await refusedBy(insertPayment(db(), a.customer.id, 100, { method: 'cheque', reference: '445566' }))).toBe('payments_cheque_number_key');
    await insertPayment(db(), b.customer.id, 100, { method: 'cheque', reference: '445566' });
  });

  test('(id, customer_id) is unique: the target of the composite keys', async () => {
    const p = await insertPayment(db(), a.customer.id, 100);
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`alter table payments drop constraint payments_pkey cascade`);
        await tx.execute(sql`insert into payments (id, customer_id, amount_paise, method, received_on) values (${p}, ${a.customer.id}, 100, 'cash', current_date)`);
      }),
    ).toBe('payments_id_customer_key');
  });
});

describe('allocations', () => {
  test('settle an invoice: paid, balance due and payment status follow in the same statement', async () => {
    const inv = await makeInvoice(ctx, a, product, { quantity: 3 });
    const p = await insertPayment(db(), a.customer.id, 10000);
    await allocate(a.customer.id, inv.id, p, 10000);
    expect(await invoiceOf(inv.id)).toMatchObject({ paid_paise: 10000, balance_due_paise: 20000, payment_status: 'partially_paid' });
    const p2 = await insertPayment(db(), a.customer.id, 20000);
    await allocate(a.customer.id, inv.id, p2, 20000);
    expect(await invoiceOf(inv.id)).toMatchObject({ paid_paise: 30000, balance_due_paise: 0, payment_status: 'paid' });
    expect(await one(sql`select allocated_paise::int from payments where id = ${p2}`)).toEqual({ allocated_paise: 20000 });
  });

  test("never past the invoice's balance due, nor the payment's amount", async () => {
    const inv = await makeInvoice(ctx, a, product);
    const big = await insertPayment(db(), a.customer.id, 50000);
    expect(await refusedBy(allocate(a.customer.id, inv.id, big, 10001))).toBe('invoices_paid_within_total');
    const small = await insertPayment(db(), a.customer.id, 3000);
    expect(await refusedBy(allocate(a.customer.id, inv.id, small, 3001))).toBe('payments_applied_within_amount');
    await allocate(a.customer.id, inv.id, small, 3000);
    expect(await refusedBy(allocate(a.customer.id, inv.id, big, 7001))).toBe('invoices_paid_within_total');
    expect(await invoiceOf(inv.id)).toMatchObject({ paid_paise: 3000, balance_due_paise: 7000 });
  });

  test('two allocations committed at once cannot together pass the balance due', { tags: ['race'] }, async () => {
    const inv = await makeInvoice(ctx, a, product);
    const p1 = await insertPayment(db(), a.customer.id, 8000);
    const p2 = await insertPayment(db(), a.customer.id, 8000);
    // Each alone fits; both do not. On PostgreSQL they run on two connections and queue on the invoice's row lock.
    const results = await Promise.allSettled([allocate(a.customer.id, inv.id, p1, 8000), allocate(a.customer.id, inv.id, p2, 8000)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(pgErrorOf(rejected.reason)?.constraint ?? pgErrorOf(rejected.reason)?.constraint_name).toBe('invoices_paid_within_total');
    expect(await invoiceOf(inv.id)).toMatchObject({ paid_paise: 8000 });
  });

  test("an allocation's payment and invoice are the same customer's", async () => {
    const pA = await insertPayment(db(), a.customer.id, 1000);
    // The allocation says customer A: B's invoice is not A's (composite foreign key on invoice and customer).
    expect(await refusedBy(allocate(a.customer.id, invB.id, pA, 100))).toBe('payment_allocations_invoice_fk');
    // Saying customer B instead: A's payment is not B's.
    expect(await refusedBy(allocate(b.customer.id, invB.id, pA, 100))).toBe('payment_allocations_payment_fk');
  });

  test("rebinding an allocation to another customer's invoice or payment is refused (by the guard, and by the keys beneath it)", async () => {
    const pA = await insertPayment(db(), a.customer.id, 1000);
    await allocate(a.customer.id, invA.id, pA, 100);
    const id = await allocationId(invA.id);
    const pB = await insertPayment(db(), b.customer.id, 1000);
    expect(await refusedBy(exec(sql`update payment_allocations set invoice_id = ${invB.id} where id = ${id}`))).toBe('payment_allocations_immutable');
    expect(await refusedBy(exec(sql`update payment_allocations set payment_id = ${pB} where id = ${id}`))).toBe('payment_allocations_immutable');
    expect(await refusedBy(exec(sql`update payment_allocations set amount_paise = 50 where id = ${id}`))).toBe('payment_allocations_immutable');
    // Without the guard, the composite keys still refuse another customer's invoice or payment.
    const dropGuard = (tx: Db) => tx.execute(sql`drop trigger payment_allocations_guard on payment_allocations`);
    expect(await refusedInRollback(async (tx) => (await dropGuard(tx), tx.execute(sql`update payment_allocations set invoice_id = ${invB.id} where id = ${id}`)))).toBe(
      'payment_allocations_invoice_fk',
    );
    expect(await refusedInRollback(async (tx) => (await dropGuard(tx), tx.execute(sql`update payment_allocations set payment_id = ${pB} where id = ${id}`)))).toBe(
      'payment_allocations_payment_fk',
    );
  });

  test('never deleted; reversed once, which takes it off the invoice and payment', async () => {
    const inv = await makeInvoice(ctx, a, product);
    const p = await insertPayment(db(), a.customer.id, 4000);
    await allocate(a.customer.id, inv.id, p, 4000);
    const id = await allocationId(inv.id);
    expect(await refusedBy(exec(sql`delete from payment_allocations where id = ${id}`))).toBe('payment_allocations_immutable');
    expect(await refusedBy(exec(sql`update payment_allocations set reversed_at = now() where id = ${id}`))).toBe('payment_allocations_reversal_consistent');
    await exec(sql`update payment_allocations set reversed_at = now(), reversal_reason = 'test', reversed_by = ${userId} where id = ${id}`);
    expect(await invoiceOf(inv.id)).toMatchObject({ paid_paise: 0, balance_due_paise: 10000, payment_status: 'unpaid' });
    expect(await one(sql`select allocated_paise::int from payments where id = ${p}`)).toEqual({ allocated_paise: 0 });
    expect(await refusedBy(exec(sql`update payment_allocations set reversal_reason = 'again' where id = ${id}`))).toBe('payment_allocations_immutable');
    expect(
      await refusedBy(
        exec(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise, reversed_at, reversal_reason) values (${a.customer.id}, ${inv.id}, ${p}, 1, now(), 'x')`),
      ),
    ).toBe('payment_allocations_immutable');
  });

  test('amounts positive; exactly one source; users exist', async () => {
    const p = await insertPayment(db(), a.customer.id, 1000);
    expect(await refusedBy(allocate(a.customer.id, invA.id, p, 0))).toBe('payment_allocations_amount_positive');
    expect(await refusedBy(exec(sql`insert into payment_allocations (customer_id, invoice_id, amount_paise) values (${a.customer.id}, ${invA.id}, 1)`))).toBe('payment_allocations_one_source');
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(await refusedBy(exec(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise, created_by) values (${a.customer.id}, ${invA.id}, ${p}, 1, ${ghost})`))).toBe(
      'payment_allocations_created_by_fk',
    );
    await allocate(a.customer.id, invA.id, p, 1);
    const id = await allocationId(invA.id);
    expect(await refusedBy(exec(sql`update payment_allocations set reversed_at = now(), reversal_reason = 'x', reversed_by = ${ghost} where id = ${id}`))).toBe(
      'payment_allocations_reversed_by_fk',
    );
  });

  test('only money in hand settles: not a payment still pending at the gateway, nor a bounced cheque; never a void invoice', async () => {
    const pending = await one<{ id: string }>(sql`insert into payments (customer_id, amount_paise, method, reference, received_on, status)
      values (${a.customer.id}, 100, 'gateway', 'pay_pending1', current_date, 'authorized') returning id`);
    expect(await refusedBy(allocate(a.customer.id, invA.id, pending.id, 100))).toBe('payment_allocations_payment_captured');
    const cheque = await insertPayment(db(), a.customer.id, 100, { method: 'cheque', reference: '778899' });
    await exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on where id = ${cheque}`);
    await exec(sql`update payments set cheque_status = 'bounced', bounced_on = received_on, bounce_reason = 'Insufficient funds' where id = ${cheque}`);
    expect(await refusedBy(allocate(a.customer.id, invA.id, cheque, 100))).toBe('payment_allocations_payment_captured');
    expect(await refusedBy(lot(a.customer.id, 100, { source: 'overpayment', payment_id: cheque }))).toBe('payment_allocations_payment_captured');
    const voidInv = await makeInvoice(ctx, a, product);
    await exec(sql`update invoices set status = 'void', void_reason = 'test', voided_at = now() where id = ${voidInv.id}`);
    const p = await insertPayment(db(), a.customer.id, 100);
    expect(await refusedBy(allocate(a.customer.id, voidInv.id, p, 100))).toBe('payment_allocations_invoice_issued');
  });

  test('a bounced cheque settles nothing: its allocations go first', async () => {
    const inv = await makeInvoice(ctx, a, product);
    const cheque = await insertPayment(db(), a.customer.id, 5000, { method: 'cheque', reference: '990011' });
    await allocate(a.customer.id, inv.id, cheque, 5000);
    await exec(sql`update payments set cheque_status = 'deposited', cheque_deposited_on = received_on where id = ${cheque}`);
    expect(await refusedBy(exec(sql`update payments set cheque_status = 'bounced', bounced_on = received_on, bounce_reason = 'Signature differs' where id = ${cheque}`))).toBe(
      'payments_bounced_unallocated',
    );
  });
});

describe('invoices: what is paid', () => {
  test('changes only through allocations; a void invoice holds no money', async () => {
    const inv = await makeInvoice(ctx, a, product);
    expect(await refusedBy(exec(sql`update invoices set paid_paise = 100 where id = ${inv.id}`))).toBe('invoices_paid_from_allocations');
    expect(await refusedBy(exec(sql`update invoices set credited_paise = 100 where id = ${inv.id}`))).toBe('invoices_paid_from_allocations');
    const p = await insertPayment(db(), a.customer.id, 100);
    await allocate(a.customer.id, inv.id, p, 100);
    expect(await refusedBy(exec(sql`update invoices set status = 'void', void_reason = 'test', voided_at = now() where id = ${inv.id}`))).toBe('invoices_void_unpaid');
    // The invoice's total and lines are still frozen.
    expect(await refusedBy(exec(sql`update invoices set place_of_supply = 'Goa (30)' where id = ${inv.id}`))).toBe('invoices_immutable');
  });

  test('the CHECK holds even when the triggers are bypassed', async () => {
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update invoices set paid_paise = total_paise + 1 where id = ${invA.id}`);
      }),
    ).toBe('invoices_paid_within_total');
  });

  test('(id, customer_id) is unique', async () => {
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`alter table invoices drop constraint invoices_pkey cascade`);
        // The generated columns (physically last) are left to their expressions.
        await tx.execute(sql`create temp table copied on commit drop as select * from invoices where id = ${invA.id}`);
        await tx.execute(sql`alter table copied drop column balance_due_paise, drop column payment_status`);
        await tx.execute(sql`drop index invoices_number_key`);
        await tx.execute(sql`alter table invoices drop constraint invoices_series_year_seq_key`);
        await tx.execute(sql`insert into invoices select * from copied`);
      }),
    ).toBe('invoices_id_customer_key');
  });
});

describe('wallet lots and their ledger', () => {
  const balanceOf = async (customerId: string) => Number((await one<{ n: number }>(sql`select coalesce(sum(remaining_paise), 0)::int as n from wallet_lots where customer_id = ${customerId}`)).n);
  const ledgerOf = async (customerId: string) =>
    Number(
      (
        await one<{ n: number }>(sql`select coalesce(sum(case when kind in ('credit', 'reinstate') then amount_paise else -amount_paise end), 0)::int as n
          from wallet_transactions where customer_id = ${customerId}`)
      ).n,
    );

  test('a lot starts full with its credit line; debits draw it down, never below zero; the balance is the sum of its ledger', async () => {
    const c = await makeCustomer(db());
    const inv = await makeInvoice(ctx, c, product);
    const l = await lot(c.customer.id, 6000);
    expect(await one(sql`select kind, amount_paise::int from wallet_transactions where lot_id = ${l}`)).toEqual({ kind: 'credit', amount_paise: 6000 });
    await line(c.customer.id, l, 'debit', 2500, inv.id);
    expect(await refusedBy(line(c.customer.id, l, 'debit', 3501, inv.id))).toBe('wallet_lots_remaining_within_amount');
    await line(c.customer.id, l, 'reinstate', 500, inv.id);
    expect(await refusedBy(line(c.customer.id, l, 'reinstate', 2001, inv.id))).toBe('wallet_lots_remaining_within_amount');
    expect(await balanceOf(c.customer.id)).toBe(4000);
    expect(await ledgerOf(c.customer.id)).toBe(4000);
    expect(await one(sql`select wallet_paise::int from customer_balances where customer_id = ${c.customer.id}`)).toEqual({ wallet_paise: 4000 });
  });

  test('fifty debits at once never take a lot below zero', { tags: ['race'] }, async () => {
    const c = await makeCustomer(db());
    const inv = await makeInvoice(ctx, c, product);
    const l = await lot(c.customer.id, 1000);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => line(c.customer.id, l, 'debit', 100, inv.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    for (const r of results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]) {
      expect(pgErrorOf(r.reason)?.constraint ?? pgErrorOf(r.reason)?.constraint_name).toBe('wallet_lots_remaining_within_amount');
    }
    expect(await balanceOf(c.customer.id)).toBe(0);
    expect(await ledgerOf(c.customer.id)).toBe(0);
  });

  test('the ledger is append-only; a lot changes only through it and is never deleted', async () => {
    const l = await lot(a.customer.id, 700);
    expect(await refusedBy(exec(sql`update wallet_transactions set amount_paise = 1 where lot_id = ${l}`))).toBe('wallet_transactions_append_only');
    expect(await refusedBy(exec(sql`delete from wallet_transactions where lot_id = ${l}`))).toBe('wallet_transactions_append_only');
    expect(await refusedBy(exec(sql`update wallet_lots set remaining_paise = 0 where id = ${l}`))).toBe('wallet_lots_from_ledger');
    expect(await refusedBy(exec(sql`update wallet_lots set expires_at = now() where id = ${l}`))).toBe('wallet_lots_from_ledger');
    expect(await refusedBy(exec(sql`delete from wallet_lots where id = ${l}`))).toBe('wallet_lots_from_ledger');
    expect(
      await refusedBy(exec(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise) values (${a.customer.id}, 'promo', 700, 699)`)),
    ).toBe('wallet_lots_from_ledger');
  });

  test('a credit line comes only with its lot, once', async () => {
    const l = await lot(a.customer.id, 300);
    expect(await refusedBy(line(a.customer.id, l, 'credit', 300))).toBe('wallet_transactions_one_credit_per_lot');
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`drop index wallet_transactions_one_credit_per_lot`);
        await tx.execute(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise) values (${a.customer.id}, ${l}, 'credit', 300)`);
      }),
    ).toBe('wallet_transactions_credit_with_lot');
  });

  test('expired credit cannot be spent; an expiry takes all that is left, once, and only when due', async () => {
    const c = await makeCustomer(db());
    const inv = await makeInvoice(ctx, c, product);
    const old = await lot(c.customer.id, 900, { expires: sql`now() - interval '1 day'` });
    const fresh = await lot(c.customer.id, 900, { expires: sql`now() + interval '30 days'` });
    expect(await refusedBy(line(c.customer.id, old, 'debit', 100, inv.id))).toBe('wallet_transactions_lot_expired');
    expect(await refusedBy(line(c.customer.id, old, 'expiry', 800))).toBe('wallet_transactions_expiry_due');
    expect(await refusedBy(line(c.customer.id, fresh, 'expiry', 900))).toBe('wallet_transactions_expiry_due');
    await line(c.customer.id, old, 'expiry', 900);
    expect(await refusedBy(line(c.customer.id, old, 'expiry', 900))).toBe('wallet_transactions_expiry_due');
    expect(await balanceOf(c.customer.id)).toBe(900);
  });

  test("lines and lots belong to one customer: another's lot, invoice or payment is refused", async () => {
    const lA = await lot(a.customer.id, 500);
    expect(await refusedBy(line(b.customer.id, lA, 'debit', 100, invB.id))).toBe('wallet_transactions_lot_fk');
    expect(await refusedBy(line(a.customer.id, lA, 'debit', 100, invB.id))).toBe('wallet_transactions_invoice_fk');
    const pB = await insertPayment(db(), b.customer.id, 500);
    expect(await refusedBy(lot(a.customer.id, 500, { source: 'overpayment', payment_id: pB }))).toBe('wallet_lots_payment_fk');
    const [debit] = await sqlRows<{ id: string }>(db(), sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, invoice_id) values (${a.customer.id}, ${lA}, 'debit', 100, ${invA.id}) returning id`);
    // Wallet credit of A settles only A's invoices: an allocation saying B points at no line of B's.
    // (The check trigger would refuse it first, as the line is for A's invoice: dropped here to show the key.)
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`drop trigger payment_allocations_check on payment_allocations`);
        await tx.execute(sql`insert into payment_allocations (customer_id, invoice_id, wallet_transaction_id, amount_paise) values (${b.customer.id}, ${invB.id}, ${debit.id}, 100)`);
      }),
    ).toBe('payment_allocations_wallet_fk');
    expect(
      await refusedBy(exec(sql`insert into payment_allocations (customer_id, invoice_id, wallet_transaction_id, amount_paise) values (${a.customer.id}, ${invA.id}, ${debit.id}, 99)`)),
    ).toBe('payment_allocations_wallet_debit_matches');
    await exec(sql`insert into payment_allocations (customer_id, invoice_id, wallet_transaction_id, amount_paise) values (${a.customer.id}, ${invA.id}, ${debit.id}, 100)`);
    expect(
      await refusedBy(exec(sql`insert into payment_allocations (customer_id, invoice_id, wallet_transaction_id, amount_paise) values (${a.customer.id}, ${invA.id}, ${debit.id}, 100)`)),
    ).toBe('payment_allocations_wallet_line_key');
  });

  test('lot rules: positive amounts, paid-in money comes from a payment and never expires, customers and users exist', async () => {
    const ghost = '00000000-0000-4000-8000-000000000000';
    expect(await refusedBy(lot(a.customer.id, 0))).toBe('wallet_lots_amount_positive');
    expect(await refusedBy(lot(a.customer.id, 100, { source: 'top_up' }))).toBe('wallet_lots_paid_in_from_payment');
    const p = await insertPayment(db(), a.customer.id, 500);
    expect(await refusedBy(lot(a.customer.id, 100, { source: 'promo', payment_id: p }))).toBe('wallet_lots_paid_in_from_payment');
    expect(await refusedBy(lot(a.customer.id, 100, { source: 'top_up', payment_id: p, expires: sql`now() + interval '1 day'` }))).toBe('wallet_lots_paid_in_never_expires');
    expect(await refusedBy(lot(ghost, 100))).toBe('wallet_lots_customer_id_fk');
    expect(
      await refusedBy(exec(sql`insert into wallet_lots (customer_id, source, amount_paise, remaining_paise, created_by) values (${a.customer.id}, 'promo', 1, 1, ${ghost})`)),
    ).toBe('wallet_lots_created_by_fk');
    // A top-up's lot counts against its payment: never more credited and allocated than it brought.
    await lot(a.customer.id, 500, { source: 'top_up', payment_id: p });
    expect(await refusedBy(lot(a.customer.id, 1, { source: 'top_up', payment_id: p }))).toBe('payments_applied_within_amount');
  });

  test('line rules: positive amounts; spending names its invoice; users exist', async () => {
    const l = await lot(a.customer.id, 500);
    expect(await refusedBy(line(a.customer.id, l, 'withdrawal', 0))).toBe('wallet_transactions_amount_positive');
    expect(await refusedBy(line(a.customer.id, l, 'debit', 10))).toBe('wallet_transactions_invoice_for_applied');
    expect(
      await refusedBy(
        exec(sql`insert into wallet_transactions (customer_id, lot_id, kind, amount_paise, created_by) values (${a.customer.id}, ${l}, 'withdrawal', 1, '00000000-0000-4000-8000-000000000000')`),
      ),
    ).toBe('wallet_transactions_created_by_fk');
  });

  test('(id, customer_id) of lots and lines are unique', async () => {
    const l = await lot(a.customer.id, 100);
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`alter table wallet_lots drop constraint wallet_lots_pkey cascade`);
        await tx.execute(sql`insert into wallet_lots select * from wallet_lots where id = ${l}`);
      }),
    ).toBe('wallet_lots_id_customer_key');
    expect(
      await refusedInRollback(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`alter table wallet_transactions drop constraint wallet_transactions_pkey cascade`);
        await tx.execute(sql`insert into wallet_transactions select * from wallet_transactions where lot_id = ${l}`);
      }),
    ).toBe('wallet_transactions_id_customer_key');
  });
});

describe('customer balances', () => {
  test('kept from invoices and lots in the same transaction', async () => {
    const c = await makeCustomer(db());
    const first = await makeInvoice(ctx, c, product, { quantity: 2 });
    await makeInvoice(ctx, c, product);
    const row = () => one(sql`select balance_due_paise::int, open_invoices, oldest_due_date::text, wallet_paise::int from customer_balances where customer_id = ${c.customer.id}`);
    expect(await row()).toEqual({ balance_due_paise: 30000, open_invoices: 2, oldest_due_date: first.due_date, wallet_paise: 0 });
    const p = await insertPayment(db(), c.customer.id, 20000);
    await allocate(c.customer.id, first.id, p, 20000);
    expect(await row()).toMatchObject({ balance_due_paise: 10000, open_invoices: 1 });
    await lot(c.customer.id, 1234);
    expect(await row()).toMatchObject({ wallet_paise: 1234 });
  });

  test('are derived: not written directly; the rules hold even with the guard gone', async () => {
    expect(await refusedBy(exec(sql`update customer_balances set balance_due_paise = 0 where customer_id = ${a.customer.id}`))).toBe('customer_balances_derived');
    expect(await refusedBy(exec(sql`delete from customer_balances where customer_id = ${a.customer.id}`))).toBe('customer_balances_derived');
    const c = await makeCustomer(db());
    expect(await refusedBy(exec(sql`insert into customer_balances (customer_id) values (${c.customer.id})`))).toBe('customer_balances_derived');
    const withoutGuard = (q: SQL) =>
      refusedInRollback(async (tx) => {
        await tx.execute(sql`drop trigger customer_balances_guard on customer_balances`);
        await tx.execute(q);
      });
    expect(await withoutGuard(sql`insert into customer_balances (customer_id) values ('00000000-0000-4000-8000-000000000000')`)).toBe('customer_balances_customer_id_fk');
    expect(await withoutGuard(sql`update customer_balances set wallet_paise = -1 where customer_id = ${a.customer.id}`)).toBe('customer_balances_nonnegative');
    expect(await withoutGuard(sql`update customer_balances set open_invoices = 0, oldest_due_date = current_date where customer_id = ${a.customer.id}`)).toBe(
      'customer_balances_oldest_when_open',
    );
  });
});

// The API's role on PostgreSQL (PGlite has one superuser connection): the ledger and money rows as migration 0008 does
// the audit log: no UPDATE or DELETE on the ledger, no DELETE of payments, allocations, lots or balances.
describe.runIf(Boolean(process.env.TEST_DATABASE_URL))('the app role', () => {
  test('cannot rewrite the wallet ledger nor delete money rows (42501)', async () => {
    const asApp = postgres(database.url!, { max: 1, onnotice: () => {}, connection: { role: APP_ROLE } as never });
    try {
      const codeOf = (statement: string) =>
        asApp.unsafe(statement).then(
          () => 'ok',
          (e: { code?: string }) => e.code ?? String(e),
        );
      expect(await codeOf('update wallet_transactions set amount_paise = 1')).toBe('42501');
      expect(await codeOf('delete from wallet_transactions')).toBe('42501');
      for (const table of ['payments', 'payment_allocations', 'wallet_lots', 'customer_balances']) expect(await codeOf(`delete from ${table}`), table).toBe('42501');
      expect(await codeOf('select count(*) from wallet_transactions')).toBe('ok');
    } finally {
      await asApp.end();
    }
  });
});
