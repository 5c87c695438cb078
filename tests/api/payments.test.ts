import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { callAs, loginCookie, makeCustomer, makeProduct, makeStaff, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx, type Invoice } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem, rows } from './support.js';

// Recording money in through the API: allocation oldest first (or chosen first), leftovers as wallet credit,
// Idempotency-Key, cheque states with a bounce that reverses what the cheque paid, who may record what, and invoices
// that show what is paid of them.

let t: TestApp;
let db: Db;
let ctx: Ctx;
let zoneId: string;
let product: Awaited<ReturnType<typeof makeProduct>>;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  ctx = serviceCtx(db, t.userIds.finance);
  zoneId = (await makeZone(db)).id;
  product = await makeProduct(db, { price_paise: 10000, gst_rate_bp: 0 });
});
afterAll(() => t?.close());

const customer = () => makeCustomer(db, { zone_id: zoneId });
/** An invoice of `rupees` x ₹100 for the customer, dated `daysAgo` days back. */
const invoice = (c: CustomerFixture, quantity = 1, daysAgo = 0) => makeInvoice(ctx, c, product, { quantity, day: addDays(todayIST(), -daysAgo) });
const invoiceRow = async (id: string) =>
  (await rows<{ paid_paise: string; balance_due_paise: string; payment_status: string | null; status: string }>(db, sql`select paid_paise, balance_due_paise, payment_status, status from invoices where id = ${id}`)).map((r) => ({
    paid: Number(r.paid_paise),
    due: Number(r.balance_due_paise),
    status: r.payment_status,
  }))[0];
const walletOf = async (customerId: string) => Number((await rows<{ n: string }>(db, sql`select coalesce(sum(remaining_paise), 0) as n from wallet_lots where customer_id = ${customerId}`))[0].n);
const paymentsOf = async (customerId: string) => rows<{ id: string; amount_paise: string }>(db, sql`select id, amount_paise from payments where customer_id = ${customerId}`);
const pay = (body: Record<string, unknown>, role: 'finance' | 'support' | 'admin' | 'manager' = 'finance', headers: Record<string, string> = {}) => t.call(role, 'POST', '/api/payments', body, headers);

describe('recording a payment', () => {
  test("settles the oldest open invoices first, the last partly; what is left is wallet credit; audited in the payment's transaction", async () => {
    const c = await customer();
    const older = await invoice(c, 2, 40);
    const newer = await invoice(c, 3, 10);
    const payment = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 25000, method: 'upi', reference: 'UPI-2001-OLDEST' }), 201);
    expect(payment).toMatchObject({ status: 'captured', method: 'upi', amount_paise: 25000, allocated_paise: 25000, credited_paise: 0, received_on: todayIST(), cheque_status: null });
    expect(payment.allocations.map((a: any) => [a.invoice_id, a.amount_paise, a.source])).toEqual([
      [older.id, 20000, 'payment'],
      [newer.id, 5000, 'payment'],
    ]);
    expect(await invoiceRow(older.id)).toEqual({ paid: 20000, due: 0, status: 'paid' });
    expect(await invoiceRow(newer.id)).toEqual({ paid: 5000, due: 25000, status: 'partially_paid' });

    const over = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 40000, method: 'cash' }), 201);
    expect(over.allocations.map((a: any) => a.amount_paise)).toEqual([25000]);
    expect(over).toMatchObject({ allocated_paise: 25000, credited_paise: 15000 });
    expect(over.lots).toEqual([expect.objectContaining({ source: 'overpayment', amount_paise: 15000, remaining_paise: 15000, expires_at: null })]);
    expect(await walletOf(c.customer.id)).toBe(15000);
    const audit = await auditRowsOf(db, over.id);
    expect(audit.map((a) => a.action)).toEqual(['create']);
    expect(audit[0].user_id).toBe(t.userIds.finance);
    // The lot's audit row came from the same request.
    const [lotAudit] = await rows<{ request_id: string }>(db, sql`select request_id from audit_logs where record_id = ${over.lots[0].id}`);
    expect(lotAudit.request_id).toBe(audit[0].request_id);
  });

  test('the chosen invoices are settled first, then the oldest of the rest', async () => {
    const c = await customer();
    const oldest = await invoice(c, 1, 30);
    const chosen = await invoice(c, 1, 5);
    const payment = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 15000, method: 'bank_transfer', reference: 'UTR-CHOSEN-1', invoice_ids: [chosen.id] }), 201);
    expect(payment.allocations.map((a: any) => [a.invoice_id, a.amount_paise])).toEqual([
      [chosen.id, 10000],
      [oldest.id, 5000],
    ]);
    const other = await customer();
    const theirs = await invoice(other);
    const wrong = await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'cash', invoice_ids: [theirs.id] }), 422, 'allocation_other_customer');
    expect(wrong.message).toContain(theirs.number);
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'cash', invoice_ids: [chosen.id] }), 422, 'invoice_paid');
    // Refused before anything was written.
    expect(await paymentsOf(c.customer.id)).toHaveLength(1);
  });

  test('bad input is refused with a message: no reference but for cash, a date in the future, odd amounts, an unknown customer', async () => {
    const c = await customer();
    const noRef = await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'upi' }), 400, 'validation_failed');
    expect(noRef.message).toMatch(/reference/);
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'cheque', reference: '  ' }), 400, 'validation_failed');
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 12.5, method: 'cash' }), 400, 'validation_failed');
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 0, method: 'cash' }), 400, 'validation_failed');
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'card' }), 400, 'validation_failed');
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'cash', received_on: addDays(todayIST(), 1) }), 422, 'received_in_future');
    await expectProblem(await pay({ customer_id: '00000000-0000-4000-8000-000000000000', amount_paise: 100, method: 'cash' }), 404, 'not_found');
    expect(await paymentsOf(c.customer.id)).toHaveLength(0);
    // A payment with no invoice open is all credit.
    const credit = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 700, method: 'cash', received_on: addDays(todayIST(), -3) }), 201);
    expect(credit).toMatchObject({ allocated_paise: 0, credited_paise: 700, received_on: addDays(todayIST(), -3) });
  });

  test('one bank credit is recorded once: the same UTR again is a 409', async () => {
    const c = await customer();
    await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 500, method: 'bank_transfer', reference: 'UTR-DUP-777' }), 201);
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 500, method: 'bank_transfer', reference: 'UTR-DUP-777' }), 409, 'duplicate_reference');
    expect(await paymentsOf(c.customer.id)).toHaveLength(1);
  });
});

describe('Idempotency-Key', () => {
  test('a retry with the same key records the payment once and answers the same', async () => {
    const c = await customer();
    await invoice(c);
    const body = { customer_id: c.customer.id, amount_paise: 5000, method: 'cash' };
    const first = await pay(body, 'finance', { 'idempotency-key': `pay-${c.customer.id}` });
    const again = await pay(body, 'finance', { 'idempotency-key': `pay-${c.customer.id}` });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await expectJson(again, 201)).toEqual(await expectJson(first, 201));
    expect(await paymentsOf(c.customer.id)).toHaveLength(1);
    // The same key with another payment is a mistake, not a retry.
    await expectProblem(await pay({ ...body, amount_paise: 6000 }, 'finance', { 'idempotency-key': `pay-${c.customer.id}` }), 422, 'idempotency_key_reused');
  });

  test('two requests at once with one key: one payment, both answered with it', { tags: ['race'] }, async () => {
    const c = await customer();
    await invoice(c);
    const body = { customer_id: c.customer.id, amount_paise: 3000, method: 'cash' };
    const headers = { 'idempotency-key': `race-pay-${c.customer.id}` };
    const [a, b] = await Promise.all([pay(body, 'finance', headers), pay(body, 'finance', headers)]);
    expect(await expectJson(a, 201)).toEqual(await expectJson(b, 201));
    expect(await paymentsOf(c.customer.id)).toHaveLength(1);
  });

  test('two different payments at once for one customer both settle, never past an invoice', { tags: ['race'] }, async () => {
    const c = await customer();
    const inv = await invoice(c, 1);
    const [a, b] = await Promise.all([pay({ customer_id: c.customer.id, amount_paise: 8000, method: 'cash' }), pay({ customer_id: c.customer.id, amount_paise: 8000, method: 'cash' })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(await invoiceRow(inv.id)).toEqual({ paid: 10000, due: 0, status: 'paid' });
    expect(await walletOf(c.customer.id)).toBe(6000);
  });
});

describe('cheques', () => {
  const chequeFor = async (c: CustomerFixture, amount: number, number: string) =>
    expectJson(await pay({ customer_id: c.customer.id, amount_paise: amount, method: 'cheque', reference: number }), 201);

  test('received, deposited, cleared; only in that order', async () => {
    const c = await customer();
    await invoice(c);
    const cheque = await chequeFor(c, 10000, '100001');
    expect(cheque).toMatchObject({ cheque_status: 'received', allocated_paise: 10000 });
    await expectProblem(await t.call('finance', 'POST', `/api/payments/${cheque.id}/clear`), 409, 'cheque_state');
    const deposited = await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/deposit`, {}), 200);
    expect(deposited).toMatchObject({ cheque_status: 'deposited', cheque_deposited_on: todayIST() });
    await expectProblem(await t.call('finance', 'POST', `/api/payments/${cheque.id}/deposit`), 409, 'cheque_state');
    const cleared = await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/clear`, { cleared_on: todayIST() }), 200);
    expect(cleared).toMatchObject({ cheque_status: 'cleared', cheque_cleared_on: todayIST() });
    await expectProblem(await t.call('finance', 'POST', `/api/payments/${cheque.id}/bounce`, { reason: 'Too late' }), 409, 'cheque_state');
    const cash = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 100, method: 'cash' }), 201);
    await expectProblem(await t.call('finance', 'POST', `/api/payments/${cash.id}/deposit`), 409, 'not_a_cheque');
    expect((await auditRowsOf(db, cheque.id)).map((a) => a.action)).toEqual(['create', 'deposit', 'clear']);
  });

  test('a bounce reverses what the cheque paid, takes back the credit it became (and what that credit paid), and says so', async () => {
    const c = await customer();
    const first = await invoice(c, 1, 20);
    const cheque = await chequeFor(c, 15000, '200002');
    expect(await invoiceRow(first.id)).toEqual({ paid: 10000, due: 0, status: 'paid' });
    expect(await walletOf(c.customer.id)).toBe(5000);
    // The cheque's leftover credit pays part of a later invoice.
    const later = await invoice(c, 1, 2);
    await expectJson(await t.call('finance', 'POST', `/api/invoices/${later.id}/apply-credit`), 200);
    expect(await invoiceRow(later.id)).toEqual({ paid: 5000, due: 5000, status: 'partially_paid' });
    await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/deposit`), 200);
    await expectProblem(await t.call('finance', 'POST', `/api/payments/${cheque.id}/bounce`, {}), 400, 'validation_failed');
    const bounced = await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/bounce`, { reason: 'Insufficient funds' }, { 'idempotency-key': `bounce-${cheque.id}` }), 200);
    expect(bounced).toMatchObject({ cheque_status: 'bounced', bounced_on: todayIST(), bounce_reason: 'Insufficient funds', allocated_paise: 0 });
    expect(bounced.allocations.every((a: any) => a.reversed_at && /bounced: Insufficient funds/.test(a.reversal_reason))).toBe(true);
    expect(await invoiceRow(first.id)).toEqual({ paid: 0, due: 10000, status: 'unpaid' });
    expect(await invoiceRow(later.id)).toEqual({ paid: 0, due: 10000, status: 'unpaid' });
    expect(await walletOf(c.customer.id)).toBe(0);
    // A retry of the bounce is answered the same; a new bounce is refused.
    const retry = await t.call('finance', 'POST', `/api/payments/${cheque.id}/bounce`, { reason: 'Insufficient funds' }, { 'idempotency-key': `bounce-${cheque.id}` });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    await expectProblem(await t.call('finance', 'POST', `/api/payments/${cheque.id}/bounce`, { reason: 'again' }), 409, 'cheque_state');
    // The statement shows the cheque in and the bounce out.
    const statement = await expectJson(await t.call('finance', 'GET', `/api/customers/${c.customer.id}/statement?from=${addDays(todayIST(), -30)}`), 200);
    const kinds = statement.lines.map((l: any) => l.kind);
    expect(kinds).toContain('cheque_bounced');
    const bounceLine = statement.lines.find((l: any) => l.kind === 'cheque_bounced');
    expect(bounceLine).toMatchObject({ debit_paise: 15000, reference: '200002' });
    expect(bounceLine.description).toMatch(/Cheque 200002 bounced: Insufficient funds/);
    expect(statement.closing_balance_paise).toBe(20000);
    // The same cheque number may be presented again after a bounce.
    await chequeFor(c, 15000, '200002');
  });

  test('a bounce and a clearing at once: one wins, the other is a 409', { tags: ['race'] }, async () => {
    const c = await customer();
    await invoice(c);
    const cheque = await chequeFor(c, 10000, '300003');
    await expectJson(await t.call('finance', 'POST', `/api/payments/${cheque.id}/deposit`), 200);
    const [b, cl] = await Promise.all([
      t.call('finance', 'POST', `/api/payments/${cheque.id}/bounce`, { reason: 'Account closed' }),
      t.call('admin', 'POST', `/api/payments/${cheque.id}/clear`),
    ]);
    expect([b.status, cl.status].sort()).toEqual([200, 409]);
    const [row] = await rows<{ cheque_status: string; allocated_paise: string }>(db, sql`select cheque_status, allocated_paise from payments where id = ${cheque.id}`);
    expect(Number(row.allocated_paise)).toBe(row.cheque_status === 'bounced' ? 0 : 10000);
  });
});

describe('who may record and see payments', () => {
  test('support records; managers only read; the cheque actions are finance', async () => {
    const c = await customer();
    const made = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 1000, method: 'cash' }, 'support'), 201);
    await expectProblem(await pay({ customer_id: c.customer.id, amount_paise: 1000, method: 'cash' }, 'manager'), 403, 'forbidden');
    await expectJson(await t.call('manager', 'GET', `/api/payments/${made.id}`), 200);
    const cheque = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 1000, method: 'cheque', reference: '400004' }, 'support'), 201);
    await expectProblem(await t.call('support', 'POST', `/api/payments/${cheque.id}/deposit`), 403, 'forbidden');
  });

  test("delivery staff record cash for their own customers only, and see only what they recorded", async () => {
    const home = await makeZone(db);
    const away = await makeZone(db);
    const runner = await makeStaff(db, { zone_id: home.id, login: true });
    const cookie = await loginCookie(t.app, runner.user!.email, runner.user!.password);
    const mine = await makeCustomer(db, { zone_id: home.id });
    const theirs = await makeCustomer(db, { zone_id: away.id });
    await invoice(mine);
    const cash = await expectJson(await callAs(t.app, cookie, 'POST', '/api/payments', { customer_id: mine.customer.id, amount_paise: 4000, method: 'cash' }), 201);
    expect(cash.recorded_by).toBe(runner.user!.id);
    const refused = await expectProblem(await callAs(t.app, cookie, 'POST', '/api/payments', { customer_id: theirs.customer.id, amount_paise: 4000, method: 'cash' }), 403, 'forbidden');
    expect(refused.message).toMatch(/your own customers/);
    // Another zone's customer delivered to by this runner this week is theirs too.
    const { makeOrder } = await import('../helpers/chain-fixtures.js');
    await makeOrder(db, { customer: theirs, items: [{ product, quantity: 1 }], staff_id: runner.staff.id });
    await expectJson(await callAs(t.app, cookie, 'POST', '/api/payments', { customer_id: theirs.customer.id, amount_paise: 4000, method: 'cash' }), 201);
    const other = await expectJson(await pay({ customer_id: mine.customer.id, amount_paise: 100, method: 'cash' }), 201);
    const listed = await expectJson<any[]>(await callAs(t.app, cookie, 'GET', '/api/payments?_start=0&_end=50'), 200);
    expect(listed.length).toBe(2);
    expect(listed.every((p) => p.recorded_by === runner.user!.id)).toBe(true);
    await expectProblem(await callAs(t.app, cookie, 'GET', `/api/payments/${other.id}`), 403, 'forbidden');
    await expectJson(await callAs(t.app, cookie, 'GET', `/api/payments/${cash.id}`), 200);
    await expectProblem(await callAs(t.app, cookie, 'POST', `/api/payments/${cash.id}/deposit`), 403, 'forbidden');
  });
});

describe('invoices show what is paid of them', () => {
  test('the invoices list filters and sorts by payment status, paid and balance due; allocations list by invoice', async () => {
    const c = await customer();
    const a = await invoice(c, 1, 3);
    const b = await invoice(c, 4, 2);
    await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 15000, method: 'cash' }), 201);
    const list = await expectJson<Invoice[] & any[]>(await t.call('finance', 'GET', `/api/invoices?customer_id=${c.customer.id}&_sort=balance_due_paise&_order=desc`), 200);
    expect(list.map((i: any) => [i.id, i.paid_paise, i.balance_due_paise, i.payment_status])).toEqual([
      [b.id, 5000, 35000, 'partially_paid'],
      [a.id, 10000, 0, 'paid'],
    ]);
    const paid = await expectJson<any[]>(await t.call('finance', 'GET', `/api/invoices?customer_id=${c.customer.id}&payment_status=paid`), 200);
    expect(paid.map((i) => i.id)).toEqual([a.id]);
    await expectJson(await t.call('finance', 'GET', '/api/invoices?_sort=paid_paise&_order=asc&_end=5'), 200);
    await expectProblem(await t.call('finance', 'GET', '/api/invoices?payment_status=overdue'), 400, 'bad_filter');
    const allocations = await expectJson<any[]>(await t.call('support', 'GET', `/api/payment-allocations?invoice_id=${b.id}`), 200);
    expect(allocations).toEqual([expect.objectContaining({ invoice_id: b.id, invoice_number: b.number, amount_paise: 5000, source: 'payment', payment_method: 'cash' })]);
  });

  test('voiding a paid invoice gives its money back as wallet credit; the reissue takes it again', async () => {
    const c = await customer();
    const inv = await invoice(c, 2, 1);
    const payment = await expectJson(await pay({ customer_id: c.customer.id, amount_paise: 20000, method: 'upi', reference: 'UPI-VOID-1' }), 201);
    expect(await invoiceRow(inv.id)).toEqual({ paid: 20000, due: 0, status: 'paid' });
    const voided = await expectJson(await t.call('finance', 'POST', `/api/invoices/${inv.id}/void`, { reason: 'Wrong address on it' }), 200);
    expect(voided).toMatchObject({ status: 'void', paid_paise: 0, balance_due_paise: 0, payment_status: null });
    expect(await walletOf(c.customer.id)).toBe(20000);
    const detail = await expectJson(await t.call('finance', 'GET', `/api/payments/${payment.id}`), 200);
    expect(detail).toMatchObject({ allocated_paise: 0, credited_paise: 20000 });
    const reissued = await expectJson(await t.call('finance', 'POST', `/api/invoices/${inv.id}/reissue`), 201);
    expect(reissued).toMatchObject({ total_paise: 20000, paid_paise: 20000, balance_due_paise: 0, payment_status: 'paid' });
    expect(await walletOf(c.customer.id)).toBe(0);
  });
});
