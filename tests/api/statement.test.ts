import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { recordPayment } from '../../api/modules/payments/payments.service.js';
import { statementOf } from '../../api/modules/statements/statements.service.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pdfText } from '../helpers/pdf-text.js';
import { makeCustomer, makeProduct, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';
import { expectJson, expectProblem, rows } from './support.js';

// A customer's statement adds up: opening + debits - credits = closing on every line and range, consecutive ranges
// join, and the closing balance is what the customer owes less their credit. The property test: for any sequence of
// invoices and payments, the closing balance is invoices - payments, to the paisa.

let t: TestApp;
let db: Db;
let ctx: Ctx;
let zoneId: string;
let unit: Awaited<ReturnType<typeof makeProduct>>;
let ten: Awaited<ReturnType<typeof makeProduct>>;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  ctx = serviceCtx(db, t.userIds.finance);
  zoneId = (await makeZone(db)).id;
  // ₹1 a unit: an invoice of n units is n x 100 paise.
  unit = await makeProduct(db, { price_paise: 100, gst_rate_bp: 0 });
  ten = await makeProduct(db, { price_paise: 1000, gst_rate_bp: 0 });
});
afterAll(() => t?.close());

const day = (back: number) => addDays(todayIST(), -back);

/** Every line's running balance follows from the one before; the totals and closing follow from the lines. */
function expectAddsUp(s: any) {
  let balance = s.opening_balance_paise;
  for (const line of s.lines) {
    balance += line.debit_paise - line.credit_paise;
    expect(line.balance_paise, line.description).toBe(balance);
  }
  expect(s.total_debit_paise).toBe(s.lines.reduce((n: number, l: any) => n + l.debit_paise, 0));
  expect(s.total_credit_paise).toBe(s.lines.reduce((n: number, l: any) => n + l.credit_paise, 0));
  expect(s.closing_balance_paise).toBe(s.opening_balance_paise + s.total_debit_paise - s.total_credit_paise);
}

describe('a statement', () => {
  let c: CustomerFixture;
  beforeAll(async () => {
    c = await makeCustomer(db, { zone_id: zoneId });
    await makeInvoice(ctx, c, ten, { quantity: 90, day: day(80) });
    await recordPayment(ctx, { customer_id: c.customer.id, amount_paise: 50000, method: 'upi', reference: 'UPI-STMT-1', received_on: day(70) });
    await makeInvoice(ctx, c, ten, { quantity: 120, day: day(50) });
    await recordPayment(ctx, { customer_id: c.customer.id, amount_paise: 200000, method: 'cash', received_on: day(45) });
    // Credit given, some of it applied to the next invoice through the API.
    await expectJson(await t.call('finance', 'POST', `/api/customers/${c.customer.id}/wallet/promo`, { amount_paise: 3000, note: 'Late delivery' }), 201);
    const third = await makeInvoice(ctx, c, ten, { quantity: 150, day: day(5) });
    await expectJson(await t.call('finance', 'POST', `/api/invoices/${third.id}/apply-credit`), 200);
  });

  test('adds up over any range, consecutive ranges join, and its close is what is owed less credit', async () => {
    const whole = await expectJson(await t.call('finance', 'GET', `/api/customers/${c.customer.id}/statement?from=${day(100)}&to=${todayIST()}`), 200);
    expectAddsUp(whole);
    expect(whole.opening_balance_paise).toBe(0);
    // Invoices 90,000 + 1,20,000 + 1,50,000; payments 50,000 + 2,00,000; promotional credit 3,000.
    expect(whole.closing_balance_paise).toBe(90000 + 120000 + 150000 - 50000 - 200000 - 3000);
    expect(whole.closing_balance_paise).toBe(whole.balance_due_paise - whole.wallet_paise);
    // The second payment left ₹400 over (wallet credit, no line of its own: the payment is the line); the third invoice
    // took the promotional ₹30 first (it expires), then that ₹400: memo lines, which move no balance.
    // By date: the third invoice (5 days ago) comes before today's credit and its use.
    expect(whole.lines.map((l: any) => l.kind)).toEqual(['invoice', 'payment', 'invoice', 'payment', 'invoice', 'wallet_credit', 'wallet_applied', 'wallet_applied']);
    expect(whole.lines.slice(-2).map((l: any) => [l.debit_paise, l.credit_paise, l.memo_paise, l.balance_paise])).toEqual([
      [0, 0, 3000, whole.closing_balance_paise],
      [0, 0, 40000, whole.closing_balance_paise],
    ]);
    expect(whole.lines[1].description).toBe('Payment received by UPI, ref. UPI-STMT-1');
    expect(whole.lines[5].description).toBe('Promotional credit added to the wallet (Late delivery)');
    for (const cut of [79, 60, 45, 44, 6]) {
      const first = await statementOf(ctx, c.customer.id, { from: day(100), to: day(cut) });
      const second = await statementOf(ctx, c.customer.id, { from: day(cut - 1), to: todayIST() });
      expectAddsUp(first);
      expectAddsUp(second);
      expect(second.opening_balance_paise, `cut ${cut}`).toBe(first.closing_balance_paise);
      expect(second.closing_balance_paise).toBe(whole.closing_balance_paise);
      expect(first.lines.length + second.lines.length).toBe(whole.lines.length);
    }
  });

  test('defaults to three months back; refuses a range that ends before it starts; the PDF downloads', async () => {
    const s = await expectJson(await t.call('support', 'GET', `/api/customers/${c.customer.id}/statement`), 200);
    expect(s.to).toBe(todayIST());
    expect(s.from.endsWith('-01')).toBe(true);
    await expectProblem(await t.call('finance', 'GET', `/api/customers/${c.customer.id}/statement?from=${todayIST()}&to=${day(1)}`), 422, 'bad_range');
    await expectProblem(await t.call('finance', 'GET', `/api/customers/${c.customer.id}/statement?from=2026-02-30`), 400, 'validation_failed');
    await expectProblem(await t.call('finance', 'GET', '/api/customers/00000000-0000-4000-8000-000000000000/statement'), 404, 'not_found');
    const pdf = await t.call('finance', 'GET', `/api/customers/${c.customer.id}/statement/pdf?from=${day(100)}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(2000);
    const text = pdfText(bytes);
    for (const want of ['STATEMENT OF ACCOUNT', c.customer.name, 'Opening balance', 'Closing balance', 'page 1 of']) expect(text, want).toContain(want);
    const denied = await t.call(null, 'GET', `/api/customers/${c.customer.id}/statement`);
    expect(denied.status).toBe(401);
  });
});

describe('property: closing balance = invoices - payments', () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant('invoice' as const), units: fc.integer({ min: 1, max: 900 }), back: fc.integer({ min: 0, max: 200 }) }),
    fc.record({
      kind: fc.constant('payment' as const),
      paise: fc.integer({ min: 1, max: 120_000 }),
      method: fc.constantFrom('cash', 'upi', 'bank_transfer', 'cheque'),
      back: fc.integer({ min: 0, max: 200 }),
      chooseLatest: fc.boolean(),
    }),
  );

  test('for any sequence of invoices and payments, to the paisa, over any range and as the data-health identity', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 210 }), async (ops, cut) => {
        const c = await makeCustomer(db, { zone_id: zoneId });
        let invoiced = 0;
        let paid = 0;
        let latest: string | undefined;
        for (const o of ops) {
          if (o.kind === 'invoice') {
            const inv = await makeInvoice(ctx, c, unit, { quantity: o.units, day: day(o.back) });
            invoiced += o.units * 100;
            latest = inv.id;
          } else {
            const open = latest ? await rows<{ due: string }>(db, sql`select balance_due_paise as due from invoices where id = ${latest}`) : [];
            const chosen = o.chooseLatest && latest && Number(open[0]?.due) > 0 ? [latest] : undefined;
            await recordPayment(ctx, { customer_id: c.customer.id, amount_paise: o.paise, method: o.method as 'cash', reference: o.method === 'cash' ? null : `REF-${++n}-${c.customer.id.slice(0, 8)}`, received_on: day(o.back), invoice_ids: chosen });
            paid += o.paise;
          }
        }
        const whole = await statementOf(ctx, c.customer.id, { from: day(400), to: todayIST() });
        expectAddsUp(whole);
        expect(whole.closing_balance_paise).toBe(invoiced - paid);
        // What the customer owes less their credit, as kept by the triggers.
        expect(whole.closing_balance_paise).toBe(whole.balance_due_paise - whole.wallet_paise);
        const [open] = await rows<{ due: string; wallet: string }>(
          db,
          sql`select (select coalesce(sum(balance_due_paise), 0) from invoices where customer_id = ${c.customer.id}) as due,
                     (select coalesce(sum(remaining_paise), 0) from wallet_lots where customer_id = ${c.customer.id}) as wallet`,
        );
        expect(Number(open.due) - Number(open.wallet)).toBe(invoiced - paid);
        // Split anywhere: the halves join.
        const first = await statementOf(ctx, c.customer.id, { from: day(400), to: day(cut) });
        const second = await statementOf(ctx, c.customer.id, { from: day(cut - 1), to: todayIST() });
        expect(second.opening_balance_paise).toBe(first.closing_balance_paise);
        expect(second.closing_balance_paise).toBe(invoiced - paid);
      }),
      { numRuns: 25 },
    );
  }, 240_000);
});
