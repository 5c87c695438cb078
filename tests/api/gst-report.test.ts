import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { monthBounds, todayIST } from '../../api/lib/dates.js';
import { confirmDelivery } from '../../api/modules/deliveries/deliveries.service.js';
import { runInvoices } from '../../api/modules/invoices/invoice-runs.service.js';
import { voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import type { GstReport } from '../../api/modules/reports/gst-report.service.js';
import { UQC } from '../../api/modules/reports/gst-report.service.js';
import type { products } from '../../db/schema/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeOrder, makeProduct, makeZone, sqlRows, type CustomerFixture } from '../helpers/chain-fixtures.js';
import { makeInvoice } from '../helpers/money-fixtures.js';
import { deliveredAt } from '../helpers/delivered-at.js';

// The GST report of a month ties out to the invoices to the paisa: each HSN and rate row is the sum of that month's
// issued invoice lines, B2CS and exempt agree with the invoices' own totals, and the documents summary is the series.

type Product = typeof products.$inferSelect;
let t: TestApp;
let ctx: Ctx;
let P: Record<'milk' | 'curd' | 'ghee' | 'butter' | 'coffee', Product>;

function monthAgo(back: number): string {
  const [y, m] = todayIST().split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 7);
}
const dayOf = (month: string, day: number) => `${month}-${String(day).padStart(2, '0')}`;
const month = monthAgo(3);
const before = monthAgo(4);
const empty = monthAgo(6);

async function delivered(customer: CustomerFixture, day: string, items: { product: Product; quantity: number; price?: number }[]) {
  const o = await makeOrder(t.database.db, { customer, delivery_date: day, items: items.map((i) => ({ product: i.product, quantity: i.quantity, unit_price_paise: i.price })) });
  await confirmDelivery(ctx, o.delivery.id, { delivered_at: deliveredAt(day, '07:00') });
}

async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}
async function problem(res: Response, status: number, code?: string) {
  const body = await json(res, status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(body.message).toBeTruthy();
  if (code) expect(body.code).toBe(code);
  return body;
}

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  ctx = {
    db,
    inTx: false,
    actor: { id: t.userIds.finance, email: 'finance@milkrun.test', name: 'Farhan Finance', roles: ['finance'], permissions: [{ resource: '*', action: '*', conditions: null }] },
    requestId: 'gst-report-test',
    log: pino({ level: 'silent' }),
  };
  const zone = await makeZone(db);
  const tag = zone.id.slice(0, 4);
  P = {
    milk: await makeProduct(db, { name: `Toned Milk ${tag}`, unit: 'packet', price_paise: 2700, hsn_code: '0401', gst_rate_bp: 0 }),
    curd: await makeProduct(db, { name: `Curd ${tag}`, unit: 'packet', price_paise: 3500, hsn_code: '0403', gst_rate_bp: 0 }),
    ghee: await makeProduct(db, { name: `Ghee ${tag}`, unit: 'bottle', price_paise: 36000, hsn_code: '0405', gst_rate_bp: 500 }),
    // 5810 paise at 5%: each record's CGST rounds half up (145), so a line's tax is the records' sum, not recomputed.
    butter: await makeProduct(db, { name: `Butter ${tag}`, unit: 'piece', price_paise: 5810, hsn_code: '0405', gst_rate_bp: 500 }),
    coffee: await makeProduct(db, { name: `Coffee ${tag}`, unit: 'packet', price_paise: 16050, hsn_code: '0901', gst_rate_bp: 1800 }),
  };
  const customers = await Promise.all([1, 2, 3, 4, 5].map(() => makeCustomer(db, { zone_id: zone.id })));
  // The month: every mix (exempt only, taxed only, both), a price change mid-month (two lines of one HSN and rate).
  for (const [i, c] of customers.entries()) {
    await delivered(c, dayOf(month, 3 + i), [{ product: P.milk, quantity: 2 + i }, { product: P.butter, quantity: 1 + (i % 2) }]);
    await delivered(c, dayOf(month, 10 + i), [{ product: P.milk, quantity: 1 }, { product: P.curd, quantity: i + 1 }]);
    if (i % 2 === 0) await delivered(c, dayOf(month, 15), [{ product: P.ghee, quantity: 1 }, { product: P.butter, quantity: 3, price: 5900 }]);
    if (i === 3) await delivered(c, dayOf(month, 20), [{ product: P.coffee, quantity: 3 }]);
  }
  // The month before, invoiced in its own month: none of it belongs to the report.
  await delivered(customers[0], dayOf(before, 12), [{ product: P.ghee, quantity: 5 }, { product: P.milk, quantity: 9 }]);
  await runInvoices(ctx, { month: before, invoice_date: dayOf(before, 28) });
  await runInvoices(ctx, { month, invoice_date: dayOf(month, 28) });
  // One invoice of the month voided: a cancelled document, none of its supply reported.
  const [victim] = await sqlRows<{ id: string }>(db, sql`select id from invoices where invoice_date = ${dayOf(month, 28)} and customer_id = ${customers[1].customer.id}`);
  await voidInvoice(ctx, victim.id, { reason: 'Wrong customer address' });
});
afterAll(() => t?.close());

/** The month's issued invoice lines, summed in the test per HSN, rate and unit: the report must say exactly this. */
async function linesByHsn() {
  const { start, end } = monthBounds(month);
  const lines = await sqlRows<{ hsn_code: string; gst_rate_bp: number; unit: string; quantity: number; taxable_paise: number; cgst_paise: number; sgst_paise: number; total_paise: number }>(
    t.database.db,
    sql`select l.hsn_code, l.gst_rate_bp, l.unit, l.quantity, l.taxable_paise, l.cgst_paise, l.sgst_paise, l.total_paise
        from invoice_lines l join invoices i on i.id = l.invoice_id
        where i.invoice_date between ${start} and ${end} and i.status = 'issued'`,
  );
  const sums = new Map<string, { quantity: number; taxable_paise: number; cgst_paise: number; sgst_paise: number; total_paise: number }>();
  for (const l of lines) {
    const key = `${l.hsn_code} ${l.gst_rate_bp} ${UQC[l.unit]}`;
    const s = sums.get(key) ?? { quantity: 0, taxable_paise: 0, cgst_paise: 0, sgst_paise: 0, total_paise: 0 };
    for (const k of ['quantity', 'taxable_paise', 'cgst_paise', 'sgst_paise', 'total_paise'] as const) s[k] += Number(l[k]);
    sums.set(key, s);
  }
  return { sums, lines: lines.length };
}

describe('GET /api/reports/gst', () => {
  test('HSN rows are the sums of the month\'s issued invoice lines per HSN and rate, to the paisa; exempt HSNs at zero tax', async () => {
    const report = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${month}`), 200);
    const { sums, lines } = await linesByHsn();
    expect(lines).toBeGreaterThan(10);
    const reported = new Map(report.hsn.map((r) => [`${r.hsn} ${r.rate_bp} ${r.uqc}`, { quantity: r.quantity, taxable_paise: r.taxable_paise, cgst_paise: r.cgst_paise, sgst_paise: r.sgst_paise, total_paise: r.total_paise }]));
    expect(reported).toEqual(sums);
    expect([...reported.keys()].sort()).toEqual(['0401 0 PAC', '0403 0 PAC', '0405 500 BTL', '0405 500 NOS', '0901 1800 PAC']);
    for (const r of report.hsn) {
      expect(r.total_paise).toBe(r.taxable_paise + r.cgst_paise + r.sgst_paise);
      expect(r.igst_paise).toBe(0);
      if (r.rate_bp === 0) expect([r.cgst_paise, r.sgst_paise]).toEqual([0, 0]);
    }
    expect(report.hsn.find((r) => r.hsn === '0401')!.description).toContain('Toned Milk');

    // The invoices' own header totals agree: taxed lines = taxable, 0% lines = exempt, and the grand total.
    const { start, end } = monthBounds(month);
    const [inv] = await sqlRows(t.database.db, sql`
      select sum(taxable_paise)::int as taxable, sum(exempt_paise)::int as exempt, sum(cgst_paise)::int as cgst, sum(sgst_paise)::int as sgst, sum(total_paise)::int as total
      from invoices where invoice_date between ${start} and ${end} and status = 'issued'`);
    const sum = (rows: { [k: string]: any }[], k: string) => rows.reduce((s, r) => s + r[k], 0);
    expect(sum(report.hsn, 'total_paise')).toBe(inv.total);
    expect(sum(report.hsn.filter((r) => r.rate_bp > 0), 'taxable_paise')).toBe(inv.taxable);
    expect(sum(report.b2cs, 'taxable_paise')).toBe(inv.taxable);
    expect(sum(report.b2cs, 'cgst_paise')).toBe(inv.cgst);
    expect(sum(report.b2cs, 'sgst_paise')).toBe(inv.sgst);
    expect(report.exempt).toEqual([{ description: expect.any(String), nil_rated_paise: 0, exempt_paise: inv.exempt, non_gst_paise: 0 }]);
    expect(report.b2cs.map((r) => [r.type, r.rate_bp])).toEqual([['OE', 500], ['OE', 1800]]);
    expect(report.b2cs[0].place_of_supply).toMatch(/\(\d{2}\)$/);
    // Figures worked out by hand for the one customer with coffee (18%): 3 x 16050 = 48150, CGST (48150 x 1800 + 10000) / 20000 = 4334.
    expect(report.b2cs[1]).toMatchObject({ taxable_paise: 48150, cgst_paise: 4334, sgst_paise: 4334, total_paise: 56818 });
    expect(report.credit_notes).toEqual([]);
  });

  test('the documents summary is the invoice series of the month: first and last number, count, voided', async () => {
    const report = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${month}`), 200);
    const { start, end } = monthBounds(month);
    const series = await sqlRows<{ series: string; numbers: string[]; void: number }>(t.database.db, sql`
      select series || '/' || financial_year as series, array_agg(number order by number) as numbers, (count(*) filter (where status = 'void'))::int as void
      from invoices where invoice_date between ${start} and ${end} group by 1 order by 1`);
    expect(series.length).toBeGreaterThan(0);
    expect(report.documents).toEqual(
      series.map((s) => ({ nature: 'Invoices for outward supply', series: s.series, from: s.numbers[0], to: s.numbers.at(-1), total: s.numbers.length, cancelled: s.void, net_issued: s.numbers.length - s.void })),
    );
    expect(report.documents.reduce((n, d) => n + d.total, 0)).toBe(5);
    expect(report.documents.reduce((n, d) => n + d.cancelled, 0)).toBe(1);
  });

  test('a month without invoices: empty tables, zero exempt', async () => {
    const report = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${empty}`), 200);
    expect(report).toMatchObject({ month: empty, hsn: [], b2cs: [], documents: [], credit_notes: [] });
    expect(report.exempt[0]).toMatchObject({ exempt_paise: 0 });
  });

  test('format=xlsx: the GSTR-1 sheets with typed numbers, frozen headers and totals that equal the JSON; audited', async () => {
    const report = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${month}`), 200);
    const res = await t.call('finance', 'GET', `/api/reports/gst?month=${month}&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(`gst-report-${month}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.arrayBuffer()) as any);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['b2cs (7)', 'exemp (8)', 'hsn (12)', 'docs (13)', 'credit notes']);
    const hsn = wb.getWorksheet('hsn (12)')!;
    expect(hsn.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(hsn.getRow(1).getCell(1).value).toBe('HSN');
    expect(hsn.rowCount).toBe(report.hsn.length + 2);
    const row2 = hsn.getRow(2);
    expect(row2.getCell(1).value).toBe(report.hsn[0].hsn);
    expect(row2.getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(row2.getCell(7).value).toBe(report.hsn[0].taxable_paise / 100);
    const totals = hsn.getRow(report.hsn.length + 2);
    expect(totals.getCell(1).value).toBe('Total');
    expect(Math.round(Number(totals.getCell(5).value) * 100)).toBe(report.hsn.reduce((s, r) => s + r.total_paise, 0));
    const docs = wb.getWorksheet('docs (13)')!;
    expect(docs.getRow(2).getCell(2).value).toBe(report.documents[0].from);
    expect(docs.getRow(2).getCell(5).value).toBe(report.documents[0].cancelled);
    const [logged] = await sqlRows(t.database.db, sql`select action, after from audit_logs where table_name = 'reports' order by created_at desc limit 1`);
    expect(logged).toMatchObject({ action: 'export', after: { report: 'gst', month, format: 'xlsx' } });
  });

  test('bad input is a 400 naming the problem; only finance and admin may read it', async () => {
    for (const q of ['month=2026-13', 'month=1999-12', 'month=2101-01', 'month=2026-7', '', `month=${month}&format=csv`, `month=${month}&zone=1`]) {
      const body = await problem(await t.call('finance', 'GET', `/api/reports/gst?${q}`), 400, 'validation_failed');
      expect(body.message).toMatch(/month|format|zone|unrecognized/i);
    }
    await json(await t.call('admin', 'GET', `/api/reports/gst?month=${month}`), 200);
    await problem(await t.call('support', 'GET', `/api/reports/gst?month=${month}`), 403, 'forbidden');
    await problem(await t.call('manager', 'GET', `/api/reports/gst?month=${month}&format=xlsx`), 403, 'forbidden');
  });
});

describe('credit notes in the GST report', () => {
  test("the month's credit notes are netted off tables 7, 8 and 12 to the paisa, listed apart, and counted in table 13", async () => {
    const db = t.database.db;
    const now = todayIST().slice(0, 7);
    const { start, end } = monthBounds(now);
    const zone = await makeZone(db);
    const [a, b] = await Promise.all([makeCustomer(db, { zone_id: zone.id }), makeCustomer(db, { zone_id: zone.id })]);
    // This month's invoices (dated today), one taxed and one exempt, and a note against each.
    const taxed = await makeInvoice(ctx, a, P.butter, { quantity: 7 });
    const exempt = await makeInvoice(ctx, b, P.milk, { quantity: 9 });
    const before = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${now}`), 200);
    for (const [inv, amount] of [[taxed, 12345], [exempt, 5400]] as const) {
      const res = await t.call('finance', 'POST', '/api/credit-notes', { invoice_id: inv.id, amount_paise: amount, reason: 'billing_error', note: 'Priced twice on the run sheet' });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const report = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${now}`), 200);

    // Invoice lines of the month less credit note lines of the month, summed in the test per HSN, rate and UQC.
    const lines = await sqlRows<{ hsn: string; rate: number; unit: string; quantity: number; taxable: number; cgst: number; sgst: number; total: number }>(db, sql`
      select l.hsn_code as hsn, l.gst_rate_bp as rate, l.unit, l.quantity, l.taxable_paise as taxable, l.cgst_paise as cgst, l.sgst_paise as sgst, l.total_paise as total
      from invoice_lines l join invoices i on i.id = l.invoice_id where i.invoice_date between ${start} and ${end} and i.status = 'issued'
      union all
      select cl.hsn_code, cl.gst_rate_bp, cl.unit, 0, -cl.taxable_paise, -cl.cgst_paise, -cl.sgst_paise, -cl.total_paise
      from credit_note_lines cl join credit_notes c on c.id = cl.credit_note_id where c.note_date between ${start} and ${end}`);
    const sums = new Map<string, number[]>();
    for (const l of lines) {
      const key = `${l.hsn} ${l.rate} ${UQC[l.unit]}`;
      const s = sums.get(key) ?? [0, 0, 0, 0, 0];
      [l.quantity, l.taxable, l.cgst, l.sgst, l.total].forEach((v, i) => (s[i] += Number(v)));
      sums.set(key, s);
    }
    expect(new Map(report.hsn.map((r) => [`${r.hsn} ${r.rate_bp} ${r.uqc}`, [r.quantity, r.taxable_paise, r.cgst_paise, r.sgst_paise, r.total_paise]]))).toEqual(sums);

    // Against the report before the notes: each table fell by exactly the notes' lines, and the quantity did not move.
    const notes = report.credit_notes;
    const total = (rows: { [k: string]: any }[], k: string) => rows.reduce((s, r) => s + Number(r[k]), 0);
    expect(total(notes, 'total_paise')).toBe(12345 + 5400);
    expect(total(notes, 'notes')).toBe(2);
    expect(total(before.hsn, 'total_paise') - total(report.hsn, 'total_paise')).toBe(12345 + 5400);
    expect(total(report.hsn, 'quantity')).toBe(total(before.hsn, 'quantity'));
    const taxedNotes = notes.filter((r) => r.rate_bp > 0);
    for (const k of ['taxable_paise', 'cgst_paise', 'sgst_paise', 'total_paise']) {
      expect(total(before.b2cs, k) - total(report.b2cs, k), k).toBe(total(taxedNotes, k));
    }
    expect(before.exempt[0].exempt_paise - report.exempt[0].exempt_paise).toBe(total(notes.filter((r) => r.rate_bp === 0), 'taxable_paise'));
    expect(total(notes.filter((r) => r.rate_bp === 0), 'taxable_paise')).toBe(5400);
    for (const r of report.hsn) expect(r.total_paise).toBe(r.taxable_paise + r.cgst_paise + r.sgst_paise);
    // Table 13: the credit note series of the month.
    const cn = report.documents.find((d) => d.series.startsWith('CN/'));
    expect(cn).toMatchObject({ nature: 'Credit note', total: 2, cancelled: 0, net_issued: 2 });
  });
});

describe('GET /api/reports/revenue', () => {
  test('by month, zone and product: the rows add up to the issued invoices of the range, to the paisa', async () => {
    const [inv] = await sqlRows(t.database.db, sql`
      select count(*)::int as invoices, sum(total_paise)::int as total, sum(taxable_paise + exempt_paise)::int as value, sum(cgst_paise)::int as cgst
      from invoices where invoice_date between ${monthBounds(before).start} and ${monthBounds(month).end} and status = 'issued'`);
    for (const by of ['month', 'zone', 'product'] as const) {
      const r = await json(await t.call('finance', 'GET', `/api/reports/revenue?from=${before}&to=${month}&by=${by}`), 200);
      expect(r.totals).toEqual({ invoices: inv.invoices, value_paise: inv.value, cgst_paise: inv.cgst, sgst_paise: inv.cgst, total_paise: inv.total });
      expect(r.rows.reduce((s: number, x: any) => s + x.total_paise, 0), by).toBe(inv.total);
      expect(r.rows.reduce((s: number, x: any) => s + x.value_paise, 0), by).toBe(inv.value);
    }
    const byMonth = await json(await t.call('finance', 'GET', `/api/reports/revenue?from=${before}&to=${month}&by=month`), 200);
    expect(byMonth.rows.map((x: any) => x.key)).toEqual([before, month]);
    const gst = await json<GstReport>(await t.call('finance', 'GET', `/api/reports/gst?month=${month}`), 200);
    expect(byMonth.rows[1].total_paise).toBe(gst.hsn.reduce((s, x) => s + x.total_paise, 0));
    const byProduct = await json(await t.call('finance', 'GET', `/api/reports/revenue?from=${month}&to=${month}&by=product`), 200);
    expect(byProduct.rows.map((x: any) => x.label).sort()).toEqual(Object.values(P).map((p) => p.name).sort());
  });

  test('bad ranges: reversed or too long 422, malformed 400, support 403', async () => {
    await problem(await t.call('finance', 'GET', `/api/reports/revenue?from=${month}&to=${before}&by=month`), 422, 'range_reversed');
    await problem(await t.call('finance', 'GET', '/api/reports/revenue?from=2020-01&to=2023-01&by=month'), 422, 'range_too_long');
    await problem(await t.call('finance', 'GET', `/api/reports/revenue?from=${month}&to=${month}&by=customer`), 400, 'validation_failed');
    await problem(await t.call('finance', 'GET', `/api/reports/revenue?from=${month}&by=zone`), 400, 'validation_failed');
    await problem(await t.call('support', 'GET', `/api/reports/revenue?from=${month}&to=${month}&by=zone`), 403, 'forbidden');
  });
});
