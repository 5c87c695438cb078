import { randomUUID } from 'node:crypto';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { transaction, type Ctx } from '../../api/lib/context.js';
import { addDays, financialYear, monthBounds, todayIST } from '../../api/lib/dates.js';
import { pgErrorOf, toAppError } from '../../api/lib/errors.js';
import { lineAmounts } from '../../shared/money.js';
import { indianNumberWords, rupeesInWords } from '../../api/modules/invoices/amount-words.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { issueInvoice } from '../../api/modules/invoices/invoices.service.js';
import { dataHealth } from '../../api/modules/health/health.service.js';
import type { Db } from '../../db/client.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { invoiceRuns, invoices, products } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { pdfText } from '../helpers/pdf-text.js';
import { itemOf, makeCustomer as makeChainCustomer, makeOrder, makeProduct as makeChainProduct, makeZone, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { deliveredAt } from '../helpers/delivered-at.js';

// ---------------------------------------------------------------------------------------------------------
// Fixtures: orders made with the shared chain fixtures (order, items, pending delivery), then confirmed through
// the deliveries service, which writes the delivered items and their billing records in one transaction.
// ---------------------------------------------------------------------------------------------------------

type Product = typeof products.$inferSelect;
interface Customer {
  id: string;
  name: string;
  fixture: CustomerFixture;
}

async function rows<T = Record<string, any>>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

let zoneId: string;
async function makeCustomer(db: Db, name?: string): Promise<Customer> {
  zoneId ??= (await makeZone(db)).id;
  const fixture = await makeChainCustomer(db, { zone_id: zoneId, name, address: { line1: '12, 5th Main, Indiranagar', landmark: 'CMH Road', pin_code: '560038' } });
  return { id: fixture.customer.id, name: fixture.customer.name, fixture };
}

/** A one-time order for `day`, confirmed (at 7:00 IST that day) with the given quantities (default: all delivered). */
async function delivered(db: Db, customer: Customer, day: string, items: { product: Product; quantity: number; delivered?: number; price?: number }[]) {
  const o = await makeOrder(db, {
    customer: customer.fixture,
    delivery_date: day,
    items: items.map((i) => ({ product: i.product, quantity: i.quantity, unit_price_paise: i.price })),
  });
  await confirmDelivery(ctx, o.delivery.id, {
    delivered_at: deliveredAt(day, '07:00'),
    items: items.filter((i) => i.delivered !== undefined).map((i) => ({ order_item_id: itemOf(o, i.product).id, quantity: i.delivered! })),
  });
  return o.order;
}

/** YYYY-MM of the month `back` months before the current one (IST). */
function monthAgo(back: number): string {
  const [y, m] = todayIST().split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 - back, 1));
  return d.toISOString().slice(0, 7);
}
const dayOf = (month: string, day: number) => `${month}-${String(day).padStart(2, '0')}`;

// ---------------------------------------------------------------------------------------------------------

let t: TestApp;
let db: Db;
let ctx: Ctx;
let P: Record<'milk' | 'paneer' | 'ghee' | 'butter' | 'curd', Product>;

beforeAll(async () => {
  t = await createTestApp();
  db = t.database.db;
  ctx = {
    db,
    inTx: false,
    // Service verbs do not check permissions except where a role narrows them (delivery staff): act with all of them.
    actor: { id: t.userIds.finance, email: 'finance@milkrun.test', name: 'Farhan Finance', roles: ['finance'], permissions: [{ resource: '*', action: '*', conditions: null }] },
    requestId: 'invoices-test',
    log: pino({ level: 'silent' }),
  };
  const tag = Math.random().toString(36).slice(2, 6);
  const product = (name: string, price_paise: number, hsn_code: string, gst_rate_bp: number, unit: 'packet' | 'piece' | 'bottle' = 'packet') =>
    makeChainProduct(db, { name: `${name} ${tag}`, price_paise, hsn_code, gst_rate_bp, unit });
  P = {
    milk: await product('Toned Milk 500 ml', 2700, '0401', 0),
    paneer: await product('Paneer 200 g', 9000, '0406', 0),
    curd: await product('Curd 500 g', 3500, '0403', 0),
    ghee: await product('Cow Ghee 500 ml', 36000, '0405', 500, 'bottle'),
    // 5810 paise at 5%: each record's CGST is 145 (145.25 + 0.5, floored), while 2 x 5810 at once would give 291, not 290.
    butter: await product('Butter 100 g', 5810, '0405', 500, 'piece'),
  };
});
afterAll(() => t?.close());

async function json(res: Response, status: number) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text);
}
async function problem(res: Response, status: number, code?: string) {
  const body = await json(res, status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body.message).toBeTruthy();
  if (code) expect(body.code).toBe(code);
  return body;
}

const invoicesOf = (month: string) =>
  db.select().from(invoices).where(eq(invoices.period_start, monthBounds(month).start)).orderBy(asc(invoices.series), asc(invoices.seq));
const recordsTotal = (where: SQL) => rows<{ n: number; total: number }>(db, sql`select count(*)::int as n, coalesce(sum(total_paise), 0)::int as total from billing_records where ${where}`);

/** Every series and year is numbered 1..n with no gap and no repeat, and the counter's next number is n + 1. */
async function expectGapless() {
  const series = await rows<{ series: string; financial_year: string; seqs: number[] | string; next_seq: number }>(
    db,
    sql`select i.series, i.financial_year, array_agg(i.seq order by i.seq) as seqs, max(s.next_seq) as next_seq
        from invoices i join document_series s using (series, financial_year) group by 1, 2`,
  );
  expect(series.length).toBeGreaterThan(0);
  for (const s of series) {
    const seqs = (Array.isArray(s.seqs) ? s.seqs : String(s.seqs).replace(/[{}]/g, '').split(',')).map(Number);
    expect(seqs, `${s.series}/${s.financial_year}`).toEqual(seqs.map((_, i) => i + 1));
    expect(Number(s.next_seq)).toBe(seqs.length + 1);
  }
  const health = await dataHealth(db);
  expect(health.checks.find((c) => c.name === 'invoice_number_gaps')!.count).toBe(0);
}

/** Each issued invoice equals its lines and its billing records to the paisa; each line equals the sum of its records. */
async function expectInvoicesExact(month: string) {
  const bad = await rows(
    db,
    sql`select i.number from invoices i
        where i.period_start = ${monthBounds(month).start}::date and i.status = 'issued' and (
          i.total_paise <> (select coalesce(sum(total_paise), 0) from invoice_lines l where l.invoice_id = i.id)
          or i.total_paise <> (select coalesce(sum(total_paise), 0) from billing_records b where b.invoice_id = i.id)
          or i.cgst_paise <> (select coalesce(sum(cgst_paise), 0) from billing_records b where b.invoice_id = i.id)
          or i.taxable_paise + i.exempt_paise <> (select coalesce(sum(taxable_paise), 0) from billing_records b where b.invoice_id = i.id)
          or exists (select 1 from invoice_lines l
              cross join lateral (select sum(quantity) as q, sum(taxable_paise) as tx, sum(cgst_paise) as c, sum(sgst_paise) as s, sum(total_paise) as t
                from billing_records b
                where b.invoice_id = i.id and b.product_id = l.product_id and b.unit_price_paise = l.unit_price_paise and b.gst_rate_bp = l.gst_rate_bp) r
              where l.invoice_id = i.id and (l.quantity, l.taxable_paise, l.cgst_paise, l.sgst_paise, l.total_paise) is distinct from (r.q, r.tx, r.c, r.s, r.t)))`,
  );
  expect(bad).toEqual([]);
}

describe('the month run', () => {
  let asha: Customer;
  test('exempt only -> BS bill of supply; mixed -> invoice-cum-bill of supply; taxed only -> tax invoice; totals are the records to the paisa', async () => {
    const month = monthAgo(1);
    const { start, end } = monthBounds(month);
    asha = await makeCustomer(db, 'Asha Rao');
    const bala = await makeCustomer(db, 'Bala Krishnan');
    const chitra = await makeCustomer(db, 'Chitra Iyer');
    await delivered(db, asha, dayOf(month, 5), [{ product: P.milk, quantity: 2 }, { product: P.paneer, quantity: 1 }]);
    await delivered(db, asha, dayOf(month, 6), [{ product: P.milk, quantity: 2 }]);
    await delivered(db, asha, dayOf(month, 7), [{ product: P.milk, quantity: 3, delivered: 1 }, { product: P.curd, quantity: 1, delivered: 0 }]);
    await delivered(db, bala, dayOf(month, 5), [{ product: P.milk, quantity: 1 }, { product: P.ghee, quantity: 1 }]);
    await delivered(db, chitra, dayOf(month, 8), [{ product: P.butter, quantity: 1 }]);
    await delivered(db, chitra, dayOf(month, 9), [{ product: P.butter, quantity: 1 }, { product: P.ghee, quantity: 1 }]);
    // In another month: not on this month's invoices.
    const outside = await delivered(db, chitra, dayOf(monthAgo(9), 28), [{ product: P.butter, quantity: 1 }]);

    const run = await json(await t.call('finance', 'POST', '/api/invoice-runs?wait=true', { month }), 201);
    expect(run).toMatchObject({ status: 'completed', month: start, total_customers: 3, processed_customers: 3, invoices_created: 3, started_by: t.userIds.finance });
    const [{ total }] = await recordsTotal(sql`service_date between ${start} and ${end}`);
    expect(run.amount_paise).toBe(total);

    const byCustomer = Object.fromEntries((await invoicesOf(month)).map((i) => [i.customer_id, i]));
    const today = todayIST();
    const fy = financialYear(today);
    const a = byCustomer[asha.id];
    expect(a).toMatchObject({ kind: 'bill_of_supply', series: 'BS', financial_year: fy, status: 'issued', run_id: run.id, cgst_paise: 0, taxable_paise: 0 });
    expect(a.number).toMatch(new RegExp(`^BS/${fy}/\\d{6}$`));
    expect(a.number).toBe(`BS/${fy}/${String(a.seq).padStart(6, '0')}`);
    expect(a.total_paise).toBe(5 * 2700 + 9000);
    expect(a.exempt_paise).toBe(5 * 2700 + 9000);
    expect(byCustomer[bala.id]).toMatchObject({ kind: 'invoice_cum_bill_of_supply', series: 'MR', exempt_paise: 2700, taxable_paise: 36000, cgst_paise: 900, sgst_paise: 900 });
    expect(byCustomer[chitra.id]).toMatchObject({ kind: 'tax_invoice', series: 'MR', taxable_paise: 2 * 5810 + 36000 });
    for (const inv of Object.values(byCustomer)) {
      expect(inv.number.length).toBeLessThanOrEqual(16);
      expect(String(inv.invoice_date).slice(0, 10)).toBe(today);
      expect(String(inv.due_date).slice(0, 10)).toBe(addDays(today, 15));
      expect([String(inv.period_start).slice(0, 10), String(inv.period_end).slice(0, 10)]).toEqual([start, end]);
      expect(inv.place_of_supply).toBe('Karnataka (29)');
    }

    // Lines: one per product; quantities and amounts are sums of the records, never recomputed.
    const lines = await json(await t.call('finance', 'GET', `/api/invoices/${byCustomer[chitra.id].id}/lines`), 200);
    const butter = lines.find((l: any) => l.product_id === P.butter.id);
    expect(butter).toMatchObject({ quantity: 2, unit: 'piece', hsn_code: '0405', gst_rate_bp: 500, taxable_paise: 11620, cgst_paise: 290, sgst_paise: 290, total_paise: 11620 + 580 });
    expect(lineAmounts(2, 5810, 500).cgst_paise).toBe(291); // what recomputing would have said
    const aLines = await json(await t.call('finance', 'GET', `/api/invoice-lines?invoice_id=${a.id}&_sort=description&_order=asc`), 200);
    expect(aLines.map((l: any) => [l.description, l.quantity, l.total_paise])).toEqual([
      [P.paneer.name, 1, 9000],
      [P.milk.name, 5, 13500],
    ]);

    // Every record of the month is on its invoice; the one before the month is not.
    expect((await recordsTotal(sql`service_date between ${start} and ${end} and invoice_id is null`))[0].n).toBe(0);
    expect((await recordsTotal(sql`order_id = ${outside.id} and invoice_id is null`))[0].n).toBe(1);
    await expectInvoicesExact(month);
    await expectGapless();
    const audits = await rows(db, sql`select action, user_id from audit_logs where table_name = 'invoices' and record_id = ${a.id}`);
    expect(audits).toEqual([{ action: 'issue', user_id: t.userIds.finance }]);
  });

  test('re-running a month creates nothing', async () => {
    const month = monthAgo(1);
    const before = await invoicesOf(month);
    expect(before.length).toBe(3);
    const again = await runInvoices(ctx, { month });
    expect(again).toMatchObject({ status: 'completed', total_customers: 0, invoices_created: 0, amount_paise: 0 });
    expect(await invoicesOf(month)).toEqual(before);
  });

  test('a late delivery of an invoiced month goes on a second invoice of that month, nothing is billed twice', async () => {
    const month = monthAgo(1);
    await delivered(db, asha, dayOf(month, 20), [{ product: P.milk, quantity: 1 }]);
    const run = await runInvoices(ctx, { month });
    expect(run).toMatchObject({ total_customers: 1, invoices_created: 1, amount_paise: 2700 });
    const mine = (await invoicesOf(month)).filter((i) => i.customer_id === asha.id);
    expect(mine.map((i) => i.total_paise)).toEqual([5 * 2700 + 9000, 2700]);
    await expectInvoicesExact(month);
  });

  test('runs in the background: 202 with the run id at once, progress on GET /api/invoice-runs/:id', async () => {
    const month = monthAgo(2);
    for (let i = 0; i < 3; i++) await delivered(db, await makeCustomer(db), dayOf(month, 10 + i), [{ product: P.milk, quantity: 1 + i }]);
    const started = await json(await t.call('finance', 'POST', '/api/invoice-runs', { month }), 202);
    expect(started).toMatchObject({ status: 'running', processed_customers: 0, invoices_created: 0 });
    let run = started;
    for (let i = 0; i < 200 && run.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      run = await json(await t.call('finance', 'GET', `/api/invoice-runs/${started.id}`), 200);
    }
    expect(run).toMatchObject({ id: started.id, status: 'completed', total_customers: 3, processed_customers: 3, invoices_created: 3, amount_paise: 6 * 2700 });
    expect(run.finished_at).toBeTruthy();
    const list = await t.call('finance', 'GET', `/api/invoice-runs?month=${monthBounds(month).start}&status=completed`);
    expect((await json(list, 200)).map((r: any) => r.id)).toEqual([started.id]);
    expect(list.headers.get('x-total-count')).toBe('1');
    // A large business's month passes 2^31 paise: the run's amount is a bigint, still a JSON number.
    await db.execute(sql`update invoice_runs set amount_paise = amount_paise + 3000000000 where id = ${started.id}`);
    expect((await json(await t.call('finance', 'GET', `/api/invoice-runs/${started.id}`), 200)).amount_paise).toBe(3_000_000_000 + 6 * 2700);
  });

  test('one customer at a time: customer_id limits the run', async () => {
    const month = monthAgo(3);
    const first = await makeCustomer(db);
    const second = await makeCustomer(db);
    await delivered(db, first, dayOf(month, 3), [{ product: P.ghee, quantity: 1 }]);
    await delivered(db, second, dayOf(month, 3), [{ product: P.milk, quantity: 1 }]);
    const one = await json(await t.call('finance', 'POST', '/api/invoice-runs?wait=true', { month, customer_id: first.id }), 201);
    expect(one).toMatchObject({ customer_id: first.id, total_customers: 1, invoices_created: 1 });
    expect((await invoicesOf(month)).map((i) => i.customer_id)).toEqual([first.id]);
    const rest = await runInvoices(ctx, { month });
    expect(rest).toMatchObject({ total_customers: 1, invoices_created: 1 });
    expect((await invoicesOf(month)).map((i) => i.customer_id).sort()).toEqual([first.id, second.id].sort());
  });

  test('bad requests: future month 422, malformed month 400, unknown customer 404, support 403', async () => {
    await problem(await t.call('finance', 'POST', '/api/invoice-runs', { month: monthAgo(-1) }), 422, 'future_month');
    await problem(await t.call('finance', 'POST', '/api/invoice-runs', { month: '2026-13' }), 400, 'validation_failed');
    await problem(await t.call('finance', 'POST', '/api/invoice-runs', { month: monthAgo(1), extra: 1 }), 400, 'validation_failed');
    await problem(await t.call('finance', 'POST', '/api/invoice-runs', { month: monthAgo(1), customer_id: '00000000-0000-4000-8000-000000000000' }), 404, 'not_found');
    await problem(await t.call('support', 'POST', '/api/invoice-runs', { month: monthAgo(1) }), 403, 'forbidden');
    await problem(await t.call('support', 'GET', '/api/invoice-runs'), 403, 'forbidden');
    await expect(runInvoices(ctx, { month: monthAgo(1), invoice_date: addDays(todayIST(), 1) })).rejects.toMatchObject({ code: 'invoice_date_in_future' });
    // The current month may be invoiced (supplies to date).
    const current = await json(await t.call('finance', 'POST', '/api/invoice-runs?wait=true', { month: monthAgo(0) }), 201);
    expect(current.status).toBe('completed');
  });
});

describe('numbering', () => {
  test('two concurrent runs of one month: no duplicate invoice, no gap, every record billed once', { tags: ['race'] }, async () => {
    const month = monthAgo(4);
    const people = [];
    for (let i = 0; i < 8; i++) {
      const c = await makeCustomer(db);
      people.push(c);
      // Alternate exempt-only and mixed customers, so both series are taken concurrently.
      await delivered(db, c, dayOf(month, 1 + i), i % 2 ? [{ product: P.milk, quantity: 2 }] : [{ product: P.milk, quantity: 1 }, { product: P.butter, quantity: 1 }]);
    }
    // Batches of 3 interleave the two runs over the same customers and both series.
    const [r1, r2] = await Promise.all([runInvoices(ctx, { month, customers_per_transaction: 3 }), runInvoices(ctx, { month, customers_per_transaction: 3 })]);
    expect(r1.invoices_created + r2.invoices_created).toBe(8);
    expect(r1.amount_paise + r2.amount_paise).toBe((await recordsTotal(sql`service_date between ${monthBounds(month).start} and ${monthBounds(month).end}`))[0].total);
    const made = await invoicesOf(month);
    expect(made.length).toBe(8);
    expect(new Set(made.map((i) => i.customer_id)).size).toBe(8);
    expect(new Set(made.map((i) => i.number)).size).toBe(8);
    await expectInvoicesExact(month);
    await expectGapless();
  });

  test('a run interrupted after some customers leaves whole invoices only; the re-run completes it to the paisa', async () => {
    const month = monthAgo(5);
    const { start, end } = monthBounds(month);
    for (let i = 0; i < 5; i++) {
      const c = await makeCustomer(db);
      await delivered(db, c, dayOf(month, 2), [{ product: P.milk, quantity: 1 + i }, { product: P.ghee, quantity: 1 }]);
      await delivered(db, c, dayOf(month, 3), [{ product: P.butter, quantity: 1 + i }]);
    }
    const boom = new Error('power cut');
    await expect(
      runInvoices(ctx, { month, customers_per_transaction: 1 }, {
        afterCustomer: (n) => {
          if (n === 2) throw boom;
        },
      }),
    ).rejects.toBe(boom);
    const [failed] = await db.select().from(invoiceRuns).where(eq(invoiceRuns.month, start));
    expect(failed).toMatchObject({ status: 'failed', error: 'power cut', total_customers: 5, processed_customers: 2, invoices_created: 2 });
    const half = await invoicesOf(month);
    expect(half.length).toBe(2);
    await expectInvoicesExact(month);
    expect((await recordsTotal(sql`service_date between ${start} and ${end} and invoice_id is null`))[0].n).toBe(3 * 3);

    const rerun = await runInvoices(ctx, { month });
    expect(rerun).toMatchObject({ status: 'completed', total_customers: 3, invoices_created: 3 });
    const all = await invoicesOf(month);
    expect(all.length).toBe(5);
    const [{ total }] = await recordsTotal(sql`service_date between ${start} and ${end}`);
    expect(all.reduce((s, i) => s + i.total_paise, 0)).toBe(total);
    expect(failed.amount_paise + rerun.amount_paise).toBe(total);
    await expectInvoicesExact(month);
    await expectGapless();
  });

  test('in batches of customers per transaction: an interruption keeps whole batches, the re-run completes the month', async () => {
    const month = monthAgo(8);
    for (let i = 0; i < 5; i++) await delivered(db, await makeCustomer(db), dayOf(month, 10), [{ product: P.butter, quantity: 1 + i }, { product: P.milk, quantity: 1 }]);
    // The hook runs after each batch commits: stopping at the 3rd customer leaves batches {1, 2} and {3, 4}.
    const stop = new Error('stopped');
    await expect(runInvoices(ctx, { month, customers_per_transaction: 2 }, { afterCustomer: (n) => { if (n === 3) throw stop; } })).rejects.toBe(stop);
    expect((await invoicesOf(month)).length).toBe(4);
    const [failed] = await db.select().from(invoiceRuns).where(eq(invoiceRuns.month, monthBounds(month).start));
    expect(failed).toMatchObject({ status: 'failed', processed_customers: 4, invoices_created: 4 });
    const rerun = await runInvoices(ctx, { month, customers_per_transaction: 50 });
    expect(rerun).toMatchObject({ status: 'completed', total_customers: 1, invoices_created: 1 });
    const { start, end } = monthBounds(month);
    const [{ total }] = await recordsTotal(sql`service_date between ${start} and ${end}`);
    expect((await invoicesOf(month)).reduce((s, i) => s + i.total_paise, 0)).toBe(total);
    await expectInvoicesExact(month);
    await expectGapless();
  });

  test('a run whose process died is marked failed when the next run starts; the next run bills what it left', async () => {
    const month = monthAgo(11);
    const c = await makeCustomer(db);
    await delivered(db, c, dayOf(month, 6), [{ product: P.milk, quantity: 3 }]);
    // What a killed process leaves: 'running' and no progress since.
    const [dead] = await db
      .insert(invoiceRuns)
      .values({ month: monthBounds(month).start, status: 'running', updated_at: new Date(Date.now() - 11 * 60 * 1000) })
      .returning();
    const [alive] = await db.insert(invoiceRuns).values({ month: monthBounds(month).start, status: 'running' }).returning();
    const run = await runInvoices(ctx, { month });
    expect(run).toMatchObject({ status: 'completed', invoices_created: 1 });
    const [after] = await db.select().from(invoiceRuns).where(eq(invoiceRuns.id, dead.id));
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/no progress for 10 minutes/);
    expect(after.finished_at).not.toBeNull();
    // A run that moved recently may be working in another process: left alone.
    const [still] = await db.select().from(invoiceRuns).where(eq(invoiceRuns.id, alive.id));
    expect(still.status).toBe('running');
    await db.update(invoiceRuns).set({ status: 'failed', error: 'test cleanup' }).where(eq(invoiceRuns.id, alive.id));
    expect(await rows(db, sql`select action from audit_logs where table_name = 'invoice-runs' and record_id = ${dead.id}`)).toEqual([{ action: 'fail' }]);
  });

  test('a rolled-back invoice gives its number back', async () => {
    const month = monthAgo(6);
    const c = await makeCustomer(db);
    await delivered(db, c, dayOf(month, 4), [{ product: P.ghee, quantity: 2 }]);
    const fy = financialYear(todayIST());
    const counter = async () => (await rows(db, sql`select next_seq from document_series where series = 'MR' and financial_year = ${fy}`))[0]?.next_seq;
    const before = await counter();
    const { start, end } = monthBounds(month);
    let taken: unknown;
    await expect(
      transaction(ctx, async (tx) => {
        taken = (await issueInvoice(tx, { customerId: c.id, periodStart: start, periodEnd: end, invoiceDate: todayIST() }))?.number;
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(taken).toMatch(/^MR\//);
    expect(await counter()).toBe(before);
    expect(await invoicesOf(month)).toEqual([]);
    const run = await runInvoices(ctx, { month });
    expect(run.invoices_created).toBe(1);
    expect((await invoicesOf(month))[0].number).toBe(taken);
    await expectGapless();
  });

  test('each financial year has its own series, restarting on 1 April (IST)', async () => {
    const c = await makeCustomer(db);
    // Long past months, so that no other test's invoice falls in these financial years.
    await delivered(db, c, '2025-03-30', [{ product: P.milk, quantity: 1 }]);
    await delivered(db, c, '2025-03-31', [{ product: P.ghee, quantity: 1 }]);
    await delivered(db, c, '2025-04-01', [{ product: P.milk, quantity: 1 }]);
    await runInvoices(ctx, { month: '2025-03', invoice_date: '2025-03-31' });
    await runInvoices(ctx, { month: '2025-04', invoice_date: '2025-04-01' });
    const [march] = await invoicesOf('2025-03');
    const [april] = await invoicesOf('2025-04');
    expect(march).toMatchObject({ number: 'MR/24-25/000001', financial_year: '24-25', seq: 1, invoice_date: '2025-03-31' });
    expect(april).toMatchObject({ number: 'BS/25-26/000001', financial_year: '25-26', seq: 1, invoice_date: '2025-04-01' });
    await expectGapless();
  });
});

describe('an issued invoice', () => {
  let invoice: any;
  beforeAll(async () => {
    const month = monthAgo(7);
    const c = await makeCustomer(db, 'Deepa Menon');
    await delivered(db, c, dayOf(month, 11), [{ product: P.milk, quantity: 2 }, { product: P.butter, quantity: 1 }]);
    await delivered(db, c, dayOf(month, 12), [{ product: P.paneer, quantity: 1 }]);
    await runInvoices(ctx, { month });
    [invoice] = await invoicesOf(month);
  });

  test('cannot be changed or deleted with SQL: the database refuses (invoices_immutable), and the API maps it to 409', async () => {
    const refused = async (q: SQL) => {
      const err = await db.execute(q).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, 'the statement should have been refused').toBeDefined();
      return err;
    };
    const err = await refused(sql`update invoices set total_paise = total_paise + 100, cgst_paise = cgst_paise + 100 where id = ${invoice.id}`);
    const pg = pgErrorOf(err)!;
    expect(pg.constraint ?? (pg as any).constraint_name).toBe('invoices_immutable');
    expect(toAppError(err)).toMatchObject({ status: 409, code: 'invoice_immutable' });
    await refused(sql`update invoices set customer_id = customer_id, due_date = due_date + 30 where id = ${invoice.id}`);
    await refused(sql`delete from invoices where id = ${invoice.id}`);
    await refused(sql`update invoice_lines set quantity = quantity + 1 where invoice_id = ${invoice.id}`);
    await refused(sql`delete from invoice_lines where invoice_id = ${invoice.id}`);
    // Its records cannot leave it while it is issued.
    await refused(sql`update billing_records set invoice_id = null where invoice_id = ${invoice.id}`);
    const [now] = await rows(db, sql`select total_paise, status from invoices where id = ${invoice.id}`);
    expect(now).toEqual({ total_paise: invoice.total_paise, status: 'issued' });
    // And the API has no way to edit or delete one.
    expect((await t.call('admin', 'PATCH', `/api/invoices/${invoice.id}`, { total_paise: 1 })).status).toBe(404);
    expect((await t.call('admin', 'DELETE', `/api/invoices/${invoice.id}`)).status).toBe(404);
  });

  test('void and reissue with an Idempotency-Key: a retry gets the first answer, nothing happens twice', { tags: ['race'] }, async () => {
    const month = monthAgo(10);
    const c = await makeCustomer(db);
    await delivered(db, c, dayOf(month, 3), [{ product: P.ghee, quantity: 1 }]);
    await runInvoices(ctx, { month });
    const [issued] = await invoicesOf(month);
    const voidKey = { 'idempotency-key': randomUUID() };
    const first = await t.call('finance', 'POST', `/api/invoices/${issued.id}/void`, { reason: 'Wrong rate' }, voidKey);
    const retry = await t.call('finance', 'POST', `/api/invoices/${issued.id}/void`, { reason: 'Wrong rate' }, voidKey);
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual(await first.json());

    // Two reissues with one key at the same moment (a double click): one invoice, the same answer twice.
    const reissueKey = { 'idempotency-key': randomUUID() };
    const [a, b] = await Promise.all([
      t.call('finance', 'POST', `/api/invoices/${issued.id}/reissue`, undefined, reissueKey),
      t.call('finance', 'POST', `/api/invoices/${issued.id}/reissue`, undefined, reissueKey),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ja, jb] = [await a.json(), await b.json()];
    expect(ja.id).toBe(jb.id);
    expect((await invoicesOf(month)).map((i) => i.status).sort()).toEqual(['issued', 'void']);
    const audits = await rows<{ action: string }>(db, sql`select action from audit_logs where table_name = 'invoices' and record_id = ${issued.id} order by created_at`);
    expect(audits.map((x) => x.action)).toEqual(['issue', 'void', 'reissue']);
    // A key belongs to one request: used on another, it is refused.
    await problem(await t.call('finance', 'POST', `/api/invoices/${ja.id}/void`, { reason: 'Again' }, voidKey), 422, 'idempotency_key_reused');
  });

  test('PDF: application/pdf, a real GST invoice with the number, parties, HSN, taxes and amount in words', async () => {
    const res = await t.call('support', 'GET', `/api/invoices/${invoice.id}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`${invoice.number.replace(/\//g, '-')}.pdf`);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain(invoice.number);
    const text = pdfText(pdf);
    for (const want of [
      'INVOICE-CUM-BILL OF SUPPLY',
      invoice.number,
      'Milkrun Dairy Pvt Ltd',
      'GSTIN: 29AAACM1234A1Z4',
      'Deepa Menon',
      'Indiranagar',
      'Karnataka (29)',
      '0401',
      '0405',
      '0406',
      '2.5%', // butter at 5% GST since September 2025: CGST and SGST 2.5% each
      'Exempt',
      rupeesInWords(invoice.total_paise),
      'This is a computer generated invoice',
    ]) {
      expect(text.replace(/\s+/g, ' '), want).toContain(want.replace(/\s+/g, ' '));
    }
  });

  test('void (finance, with a reason) releases its records; reissue gives the next number for the same period', async () => {
    await problem(await t.call('support', 'POST', `/api/invoices/${invoice.id}/void`, { reason: 'wrong address' }), 403, 'forbidden');
    await problem(await t.call('finance', 'POST', `/api/invoices/${invoice.id}/void`, { reason: ' ' }), 400, 'validation_failed');
    await problem(await t.call('finance', 'POST', `/api/invoices/${invoice.id}/reissue`), 409, 'invoice_not_void');

    const voided = await json(await t.call('finance', 'POST', `/api/invoices/${invoice.id}/void`, { reason: 'Billed to the wrong flat' }), 200);
    expect(voided).toMatchObject({ id: invoice.id, status: 'void', void_reason: 'Billed to the wrong flat', voided_by: t.userIds.finance, number: invoice.number, total_paise: invoice.total_paise });
    expect((await recordsTotal(sql`invoice_id = ${invoice.id}`))[0].n).toBe(0);
    await problem(await t.call('finance', 'POST', `/api/invoices/${invoice.id}/void`, { reason: 'again' }), 409, 'invoice_already_void');
    // A void invoice is frozen too.
    await expect(db.execute(sql`update invoices set void_reason = 'other' where id = ${invoice.id}`)).rejects.toSatisfy((e: unknown) => [pgErrorOf(e)?.constraint, pgErrorOf(e)?.constraint_name].includes('invoices_immutable'));

    const reissued = await json(await t.call('finance', 'POST', `/api/invoices/${invoice.id}/reissue`), 201);
    expect(reissued).toMatchObject({
      status: 'issued',
      customer_id: invoice.customer_id,
      period_start: invoice.period_start,
      period_end: invoice.period_end,
      total_paise: invoice.total_paise,
      kind: invoice.kind,
      series: invoice.series,
      replaces_invoice_id: invoice.id,
    });
    expect(reissued.seq).toBeGreaterThan(invoice.seq);
    expect((await recordsTotal(sql`invoice_id = ${reissued.id}`))[0].total).toBe(invoice.total_paise);
    await problem(await t.call('finance', 'POST', `/api/invoices/${invoice.id}/reissue`), 409, 'already_reissued');
    const shown = await json(await t.call('finance', 'GET', `/api/invoices/${invoice.id}`), 200);
    expect(shown).toMatchObject({ status: 'void', replaced_by_invoice_id: reissued.id, customer_name: 'Deepa Menon' });
    const audits = await rows(db, sql`select action from audit_logs where table_name = 'invoices' and record_id = ${invoice.id} order by created_at, id`);
    expect(audits.map((a) => a.action)).toEqual(['issue', 'void', 'reissue']);
    await expectGapless();
    expect((await dataHealth(db)).ok).toBe(true);

    // The PDF of the void invoice says so.
    const text = pdfText(Buffer.from(await (await t.call('finance', 'GET', `/api/invoices/${invoice.id}/pdf`)).arrayBuffer()));
    expect(text).toContain('CANCELLED on');
  });

  test('list: filters, sorts and the customer name; unknown filters are a 400', async () => {
    const all = await t.call('support', 'GET', '/api/invoices?_start=0&_end=100');
    const body = await json(all, 200);
    expect(Number(all.headers.get('x-total-count'))).toBe(body.length);
    expect(body.every((i: any) => typeof i.customer_name === 'string')).toBe(true);
    const voids = await json(await t.call('finance', 'GET', `/api/invoices?status=void&customer_id=${invoice.customer_id}`), 200);
    expect(voids.map((i: any) => i.id)).toEqual([invoice.id]);
    const bs = await json(await t.call('finance', 'GET', '/api/invoices?number_like=bs/&kind=bill_of_supply'), 200);
    expect(bs.length).toBeGreaterThan(0);
    expect(bs.every((i: any) => i.number.startsWith('BS/'))).toBe(true);
    const older = await json(await t.call('finance', 'GET', '/api/invoices?financial_year=24-25&financial_year=25-26&_sort=number'), 200);
    expect(older.map((i: any) => i.number)).toEqual(['BS/25-26/000001', 'MR/24-25/000001']);
    const range = await json(await t.call('finance', 'GET', `/api/invoices?period_start_gte=${monthBounds(monthAgo(2)).start}&period_start_lte=${monthBounds(monthAgo(1)).start}`), 200);
    expect(new Set(range.map((i: any) => i.period_start))).toEqual(new Set([monthBounds(monthAgo(2)).start, monthBounds(monthAgo(1)).start]));
    const sorted = await json(await t.call('finance', 'GET', '/api/invoices?_sort=total_paise&_order=desc'), 200);
    expect(sorted.map((i: any) => i.total_paise)).toEqual([...sorted.map((i: any) => i.total_paise)].sort((x, y) => y - x));
    const byNumber = await json(await t.call('finance', 'GET', '/api/invoices?_sort=number,issued_at&_order=asc,desc'), 200);
    expect(byNumber.map((i: any) => i.number)).toEqual([...byNumber.map((i: any) => i.number)].sort());
    const found = await json(await t.call('finance', 'GET', `/api/invoices?q=${encodeURIComponent('deepa')}`), 200);
    expect(found.length).toBe(2);
    await problem(await t.call('finance', 'GET', '/api/invoices?amount=1'), 400, 'unknown_filter');
    await problem(await t.call('finance', 'GET', '/api/invoices?status=paid'), 400, 'bad_filter');
    await problem(await t.call('finance', 'GET', '/api/invoices/00000000-0000-4000-8000-000000000000'), 404, 'not_found');
  });
});

describe('amounts in words', () => {
  test('Indian numbering: thousand, lakh, crore', () => {
    expect(indianNumberWords(0)).toBe('Zero');
    expect(indianNumberWords(115)).toBe('One Hundred Fifteen');
    expect(indianNumberWords(100000)).toBe('One Lakh');
    expect(indianNumberWords(12345678)).toBe('One Crore Twenty Three Lakh Forty Five Thousand Six Hundred Seventy Eight');
    expect(rupeesInWords(123450)).toBe('Indian Rupees One Thousand Two Hundred Thirty Four and Fifty Paise Only');
    expect(rupeesInWords(2700)).toBe('Indian Rupees Twenty Seven Only');
  });
});
