import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { financialYear, todayIST } from '../../api/lib/dates.js';
import { splitCredit, type LineLeft } from '../../api/modules/credit-notes/credit-notes.service.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { issueInvoice, voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import { fakeRefundProvider } from '../../api/modules/refunds/provider.js';
import type { Db } from '../../db/client.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pdfText } from '../helpers/pdf-text.js';
import { makeCustomer, makeOrder, makeProduct, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { insertPayment, makeInvoice, serviceCtx, type Invoice } from '../helpers/money-fixtures.js';
import { auditRowsOf, expectJson, expectProblem, uniqueName } from './support.js';
import { deliveredAt } from '../helpers/delivered-at.js';

// GST credit notes (issue 12, item 7): a refund for a short delivery, a spoilt product or a billing error against an
// invoiced payment, or an adjustment of an invoice, issues a note in its own gapless series per financial year,
// citing the invoice, with its lines and tax reversed in the same proportion; the invoice's balance due falls.

let t: TestApp;
let db: Db;
let ctx: Ctx;
let milk: Awaited<ReturnType<typeof makeProduct>>;
let ghee: Awaited<ReturnType<typeof makeProduct>>;
const FY = financialYear(todayIST());
const one = async <T = Record<string, any>>(q: ReturnType<typeof sql>) => (await sqlRows<T>(db, q))[0];

beforeAll(async () => {
  t = await createTestApp({ refundProvider: fakeRefundProvider() });
  db = t.database.db;
  ctx = serviceCtx(db, t.userIds.admin);
  milk = await makeProduct(db, { name: `Milk 500 ml ${uniqueName('m')}`, price_paise: 3000, gst_rate_bp: 0, hsn_code: '0401' });
  ghee = await makeProduct(db, { name: `Cow Ghee 500 g ${uniqueName('g')}`, price_paise: 50000, gst_rate_bp: 500, hsn_code: '0405' });
  for (const role of ['admin', 'finance', 'support'] as const) await t.cookie(role);
});
afterAll(() => t?.close());

/** An invoice of 2 x milk (exempt, ₹60) and 1 x ghee (5%: ₹500 + ₹12.50 + ₹12.50): ₹585.00 in all. */
async function mixedInvoice(customer: CustomerFixture): Promise<Invoice> {
  const day = todayIST();
  const o = await makeOrder(db, { customer, delivery_date: day, items: [{ product: milk, quantity: 2 }, { product: ghee, quantity: 1 }] });
  await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day) });
  const invoice = await issueInvoice(ctx, { customerId: customer.customer.id, periodStart: day, periodEnd: day, invoiceDate: day });
  return invoice!;
}
const paidBy = async (customer: CustomerFixture, invoice: Invoice, amount = Number(invoice.total_paise)) => {
  const payment = await insertPayment(db, customer.customer.id, amount, { method: 'upi', reference: `UPI-${uniqueName('cn').replace(/\W/g, '')}` });
  await db.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${customer.customer.id}, ${invoice.id}, ${payment}, ${amount})`);
  return payment;
};
const invoiceMoney = (id: string) =>
  one(sql`select total_paise::int as total, paid_paise::int as paid, credited_paise::int as credited, balance_due_paise::int as due, payment_status::text as status from invoices where id = ${id}`);
const ask = (body: Record<string, unknown>) => t.call('support', 'POST', '/api/refunds', { destination: 'source', note: 'Two packets short on the 3rd', ...body });
const notesOf = (invoiceId: string) => sqlRows<{ id: string; number: string }>(db, sql`select id, number from credit_notes where invoice_id = ${invoiceId} order by seq`);

describe('a refund that reduces a billed supply', () => {
  test('short delivery against an invoiced payment: a credit note at approval, citing the invoice, tax reversed in proportion', async () => {
    const c = await makeCustomer(db);
    const invoice = await mixedInvoice(c);
    expect(Number(invoice.total_paise)).toBe(58500);
    const payment = await paidBy(c, invoice);
    // 10% of the invoice back: the invoice is named by default (the one the payment settles).
    const asked = await expectJson(await ask({ payment_id: payment, amount_paise: 5850, reason: 'short_delivery' }), 201);
    expect(asked).toMatchObject({ invoice_id: invoice.id, invoice_number: invoice.number, credit_note_id: null });
    expect(await notesOf(invoice.id)).toEqual([]);
    const approved = await expectJson(await t.call('finance', 'POST', `/api/refunds/${asked.id}/approve`), 200);
    expect(approved.credit_note_number).toMatch(/^CN\/\d{2}-\d{2}\/\d{6}$/);
    const note = await expectJson(await t.call('support', 'GET', `/api/credit-notes/${approved.credit_note_id}`), 200);
    expect(note).toMatchObject({
      number: `CN/${FY}/000001`,
      financial_year: FY,
      refund_id: asked.id,
      invoice_id: invoice.id,
      invoice_number: invoice.number,
      invoice_date: invoice.invoice_date,
      reason: 'short_delivery',
      customer_name: c.customer.name,
      taxable_paise: 5000,
      exempt_paise: 600,
      cgst_paise: 125,
      sgst_paise: 125,
      total_paise: 5850,
    });
    expect(note.number.length).toBeLessThanOrEqual(16);
    const lines = await expectJson<any[]>(await t.call('support', 'GET', `/api/credit-notes/${note.id}/lines`), 200);
    expect(lines.map((l) => [l.description, l.gst_rate_bp, l.taxable_paise, l.cgst_paise, l.sgst_paise, l.total_paise])).toEqual([
      [ghee.name, 500, 5000, 125, 125, 5250],
      [milk.name, 0, 600, 0, 0, 600],
    ]);
    // The invoice: the payment's allocation fell by the refund and the note took its place; still paid in full.
    expect(await invoiceMoney(invoice.id)).toEqual({ total: 58500, paid: 52650, credited: 5850, due: 0, status: 'paid' });
    expect(await one(sql`select allocated_paise::int as allocated, refunded_paise::int as refunded from payments where id = ${payment}`)).toEqual({ allocated: 52650, refunded: 5850 });
    expect((await auditRowsOf(db, note.id)).map((r) => r.action)).toEqual(['issue']);
    // Listed for the invoice (its show page), and as a PDF like the invoice's.
    const forInvoice = await expectJson<any[]>(await t.call('finance', 'GET', `/api/credit-notes?invoice_id=${invoice.id}`), 200);
    expect(forInvoice.map((n) => n.id)).toEqual([note.id]);
    const res = await t.call('support', 'GET', `/api/credit-notes/${note.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`${note.number.replace(/\//g, '-')}.pdf`);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const s of ['CREDIT NOTE', note.number, invoice.number, 'Short delivery', '0405', '58.50', 'Indian Rupees Fifty Eight and Fifty Paise Only']) expect(text, s).toContain(s);
  });

  test('the invoice: named when the payment settles several, none when it settles none (no note then)', async () => {
    const c = await makeCustomer(db);
    const first = await makeInvoice(ctx, c, milk);
    const payment = await insertPayment(db, c.customer.id, 20000);
    await db.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${c.customer.id}, ${first.id}, ${payment}, 3000)`);
    const day2 = await makeInvoice(ctx, c, milk);
    await db.execute(sql`insert into payment_allocations (customer_id, invoice_id, payment_id, amount_paise) values (${c.customer.id}, ${day2.id}, ${payment}, 3000)`);
    const body = await expectProblem(await ask({ payment_id: payment, amount_paise: 1000, reason: 'spoilt_product' }), 422, 'invoice_required');
    expect(body.message).toContain(first.number);
    const named = await expectJson(await ask({ payment_id: payment, amount_paise: 1000, reason: 'spoilt_product', invoice_id: day2.id }), 201);
    expect(named.invoice_id).toBe(day2.id);
    // More than the payment paid of that invoice cannot be credited through it.
    await expectProblem(await ask({ payment_id: payment, amount_paise: 3001 + 14000, reason: 'billing_error', invoice_id: day2.id }), 422, 'refund_not_fundable');
    const unbilled = await insertPayment(db, c.customer.id, 5000);
    const plain = await expectJson(await ask({ payment_id: unbilled, amount_paise: 1000, reason: 'short_delivery' }), 201);
    expect(plain.invoice_id).toBeNull();
    expect(await expectJson(await t.call('finance', 'POST', `/api/refunds/${plain.id}/approve`), 200)).toMatchObject({ status: 'approved', credit_note_id: null });
  });

  test('a refund of a duplicate payment, an overpayment or goodwill gets no credit note', async () => {
    const c = await makeCustomer(db);
    const invoice = await makeInvoice(ctx, c, milk);
    const payment = await paidBy(c, invoice);
    const duplicate = await insertPayment(db, c.customer.id, 3000);
    for (const [paymentId, reason] of [
      [duplicate, 'duplicate_payment'],
      [payment, 'goodwill'],
    ] as const) {
      const asked = await expectJson(await ask({ payment_id: paymentId, amount_paise: 500, reason }), 201);
      expect(await expectJson(await t.call('finance', 'POST', `/api/refunds/${asked.id}/approve`), 200)).toMatchObject({ invoice_id: null, credit_note_id: null });
    }
    expect(await notesOf(invoice.id)).toEqual([]);
  });
});

describe('an adjustment of an invoice alone', () => {
  test('finance issues a note: the balance due falls; never past what is still due; numbers follow on', async () => {
    const c = await makeCustomer(db);
    const invoice = await mixedInvoice(c);
    const before = (await sqlRows<{ seq: number }>(db, sql`select coalesce(max(seq), 0) as seq from credit_notes where financial_year = ${FY}`))[0].seq;
    const body = { invoice_id: invoice.id, amount_paise: 1000, reason: 'billing_error', note: 'Charged for a holiday' };
    await expectProblem(await t.call('support', 'POST', '/api/credit-notes', body), 403, 'forbidden');
    await expectProblem(await t.call('finance', 'POST', '/api/credit-notes', { ...body, reason: 'goodwill' }), 400, 'validation_failed');
    const note = await expectJson(await t.call('finance', 'POST', '/api/credit-notes', body, { 'idempotency-key': `cn-${invoice.id}` }), 201);
    expect(note).toMatchObject({ seq: Number(before) + 1, refund_id: null, total_paise: 1000, lines_count: 2 });
    const replay = await t.call('finance', 'POST', '/api/credit-notes', body, { 'idempotency-key': `cn-${invoice.id}` });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await invoiceMoney(invoice.id)).toMatchObject({ credited: 1000, due: 57500, status: 'partially_paid' });
    await paidBy(c, invoice, 57000);
    const over = await expectProblem(await t.call('finance', 'POST', '/api/credit-notes', { ...body, amount_paise: 501 }), 422, 'credit_over_balance');
    expect(over.message).toMatch(/₹5\.00 still due/);
    const next = await expectJson(await t.call('finance', 'POST', '/api/credit-notes', { ...body, amount_paise: 500 }), 201);
    expect(next.seq).toBe(note.seq + 1);
    expect(await invoiceMoney(invoice.id)).toMatchObject({ credited: 1500, due: 0, status: 'paid' });
    const voided = await makeInvoice(ctx, await makeCustomer(db), milk);
    await voidInvoice(ctx, voided.id, { reason: 'wrong customer' });
    await expectProblem(await t.call('finance', 'POST', '/api/credit-notes', { ...body, invoice_id: voided.id }), 409, 'invoice_void');
  });

  test('lists by number, customer, date and amount; searches by number', async () => {
    const c = await makeCustomer(db, { name: `Adjusted ${uniqueName('Person')}` });
    const invoice = await makeInvoice(ctx, c, ghee);
    const a = await expectJson(await t.call('finance', 'POST', '/api/credit-notes', { invoice_id: invoice.id, amount_paise: 700, reason: 'billing_error', note: 'Price typo' }), 201);
    const b = await expectJson(await t.call('finance', 'POST', '/api/credit-notes', { invoice_id: invoice.id, amount_paise: 300, reason: 'spoilt_product', note: 'One jar broken' }), 201);
    const ids = async (q: string) => (await expectJson<{ id: string }[]>(await t.call('support', 'GET', `/api/credit-notes?${q}`), 200)).map((r) => r.id);
    expect(await ids(`customer_id=${c.customer.id}&_sort=total_paise&_order=asc`)).toEqual([b.id, a.id]);
    expect(await ids(`customer_id=${c.customer.id}&reason=billing_error`)).toEqual([a.id]);
    expect(await ids(`q=${encodeURIComponent(b.number)}`)).toEqual([b.id]);
    expect(await ids(`q=${encodeURIComponent(c.customer.name)}&_sort=number&_order=desc`)).toEqual([b.id, a.id]);
    await expectProblem(await t.call('support', 'GET', '/api/credit-notes?_sort=customer_name'), 400, 'sort_needs_filter');
  });
});

describe('numbers under concurrent issue', { tags: ['race'] }, () => {
  test('two notes at once: consecutive numbers, no gap; two past one balance: one 201, one 422', async () => {
    const [c1, c2] = [await makeCustomer(db), await makeCustomer(db)];
    const [i1, i2] = [await makeInvoice(ctx, c1, milk), await makeInvoice(ctx, c2, milk)];
    const answers = await Promise.all(
      [i1, i2].map((i) => t.call('finance', 'POST', '/api/credit-notes', { invoice_id: i.id, amount_paise: 100, reason: 'billing_error', note: 'Concurrent' })),
    );
    const notes = await Promise.all(answers.map((r) => expectJson(r, 201)));
    expect(Math.abs(notes[0].seq - notes[1].seq)).toBe(1);
    const gaps = await sqlRows(db, sql`select g from generate_series(1, (select max(seq) from credit_notes where financial_year = ${FY})) g
      where not exists (select 1 from credit_notes where financial_year = ${FY} and seq = g)`);
    expect(gaps).toEqual([]);
    const both = await Promise.all(
      [0, 1].map(() => t.call('finance', 'POST', '/api/credit-notes', { invoice_id: i1.id, amount_paise: 2000, reason: 'billing_error', note: 'Twice at once' })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(await invoiceMoney(i1.id)).toMatchObject({ credited: 2100, due: 900 });
  });
});

describe('the proportion, in integer paise', () => {
  const line = (id: string, taxable: number, rate: number): LineLeft => {
    const half = BigInt(Math.floor((taxable * rate + 10000) / 20000));
    return { id, description: id, hsn_code: '0401', unit: 'packet', gst_rate_bp: rate, taxable: BigInt(taxable), cgst: half, sgst: half };
  };

  test('the paise left over go to the largest remainders, ties to the earlier line', () => {
    expect(splitCredit([line('a', 100, 0), line('b', 200, 0)], 100).map((l) => l.total_paise)).toEqual([33, 67]);
    expect(splitCredit([line('a', 1, 0), line('b', 1, 0)], 1).map((l) => [l.invoice_line_id, l.total_paise])).toEqual([['a', 1]]);
    // Tax is scaled with the line: 5% of ₹500 is ₹12.50 + ₹12.50; a tenth of the line reverses ₹1.25 of each.
    expect(splitCredit([line('ghee', 50000, 500)], 5250)).toEqual([expect.objectContaining({ taxable_paise: 5000, cgst_paise: 125, sgst_paise: 125, total_paise: 5250 })]);
  });

  test('any sequence of notes: each adds up to its amount, and together they never pass a line, column by column', () => {
    const lineArb = fc.record({ taxable: fc.integer({ min: 1, max: 2_000_000 }), rate: fc.constantFrom(0, 500, 1800, 4000) });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 6 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }), (specs, weights) => {
        const original = specs.map((s, i) => line(`l${i}`, s.taxable, s.rate));
        let left = original.map((l) => ({ ...l }));
        for (const w of weights) {
          const whole = Number(left.reduce((s, l) => s + l.taxable + l.cgst + l.sgst, 0n));
          if (whole === 0) break;
          const amount = Math.max(1, Math.floor((whole * w) / 1000));
          const parts = splitCredit(left, amount);
          expect(parts.reduce((s, p) => s + p.total_paise, 0)).toBe(amount);
          for (const p of parts) {
            expect(p.taxable_paise + p.cgst_paise + p.sgst_paise).toBe(p.total_paise);
            expect(Math.min(p.taxable_paise, p.cgst_paise, p.sgst_paise)).toBeGreaterThanOrEqual(0);
          }
          left = left.map((l) => {
            const p = parts.find((x) => x.invoice_line_id === l.id);
            return p ? { ...l, taxable: l.taxable - BigInt(p.taxable_paise), cgst: l.cgst - BigInt(p.cgst_paise), sgst: l.sgst - BigInt(p.sgst_paise) } : l;
          });
          for (const l of left) expect(l.taxable >= 0n && l.cgst >= 0n && l.sgst >= 0n, JSON.stringify(l, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
