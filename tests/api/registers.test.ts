import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Ctx } from '../../api/lib/context.js';
import { addDays, todayIST } from '../../api/lib/dates.js';
import { voidInvoice } from '../../api/modules/invoices/invoices.service.js';
import { recordPayment } from '../../api/modules/payments/payments.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeProduct, makeZone, sqlRows } from '../helpers/chain-fixtures.js';
import { makeInvoice, serviceCtx } from '../helpers/money-fixtures.js';

// Finance registers: the sales register's totals are the invoices list's (same invoice dates), the collections
// register's days and methods are the payments list's, and each downloads as CSV and XLSX with a totals row that
// equals the JSON's totals; the download needs export on reports and is audited.

let t: TestApp;
let ctx: Ctx;
const today = todayIST();
const day = (back: number) => addDays(today, -back);
const from = day(20);
const to = today;

async function json<T = any>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}
const sumOf = (rows: any[], key: string) => rows.reduce((a, r) => a + Number(r[key] ?? 0), 0);

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  ctx = serviceCtx(db, t.userIds.finance, 'registers-test');
  const zone = await makeZone(db);
  const milk = await makeProduct(db, { unit_size: '500 ml', price_paise: 2700, gst_rate_bp: 0 });
  const ghee = await makeProduct(db, { unit: 'bottle', unit_size: '500 ml', price_paise: 36010, hsn_code: '0405', gst_rate_bp: 500 });
  const cs = await Promise.all([1, 2, 3, 4].map(() => makeCustomer(db, { zone_id: zone.id })));
  const a = await makeInvoice(ctx, cs[0], milk, { day: day(15), quantity: 7 });
  await makeInvoice(ctx, cs[1], ghee, { day: day(10), quantity: 3 });
  const v = await makeInvoice(ctx, cs[2], ghee, { day: day(8), quantity: 1 });
  await voidInvoice(ctx, v.id, { reason: 'Wrong customer billed' });
  await makeInvoice(ctx, cs[3], milk, { day: day(40), quantity: 2 }); // before the range
  await recordPayment(ctx, { customer_id: cs[0].customer.id, amount_paise: 10000, method: 'upi', reference: `UPI-REG-${zone.id.slice(0, 6)}`, received_on: day(5), invoice_ids: [a.id] });
  await recordPayment(ctx, { customer_id: cs[1].customer.id, amount_paise: 25050, method: 'cash', received_on: day(5) });
  await recordPayment(ctx, { customer_id: cs[1].customer.id, amount_paise: 4000, method: 'cheque', reference: 'CHQ-101', received_on: day(3) });
  await recordPayment(ctx, { customer_id: cs[3].customer.id, amount_paise: 999, method: 'cash', received_on: day(30) }); // before the range
});
afterAll(async () => t?.close());

describe('sales register', () => {
  test("its totals are the invoices list's for the same invoice dates: issued ones summed, void ones counted apart", async () => {
    const r = await json(await t.call('finance', 'GET', `/api/reports/sales-register?from=${from}&to=${to}`));
    const q = `invoice_date_gte=${from}&invoice_date_lte=${to}`;
    const issued = await json<any[]>(await t.call('finance', 'GET', `/api/invoices/export?format=json&${q}&status=issued`));
    const voided = await json<any[]>(await t.call('finance', 'GET', `/api/invoices/export?format=json&${q}&status=void`));
    expect(r.invoices).toBe(issued.length);
    expect(r.void).toBe(voided.length);
    expect(r).toMatchObject({ invoices: 2, void: 1 });
    for (const k of ['total_paise', 'paid_paise', 'balance_due_paise']) expect(r[k], k).toBe(sumOf(issued, k));
    expect(r.taxable_paise + r.exempt_paise + r.cgst_paise + r.sgst_paise).toBe(r.total_paise);
    expect(r.total_paise).toBe(7 * 2700 + 3 * 36010 + 2 * Math.floor((3 * 36010 * 500 + 10000) / 20000));
    expect(r.paid_paise).toBe(10000 + 25050 + 4000);
  });

  test('a reversed or over-long range is a 422, a bad date a 400; support may not read it', async () => {
    expect((await json(await t.call('finance', 'GET', `/api/reports/sales-register?from=${to}&to=${from}`), 422)).code).toBe('range_reversed');
    expect((await json(await t.call('finance', 'GET', `/api/reports/sales-register?from=${addDays(to, -366)}&to=${to}`), 422)).code).toBe('range_too_long');
    await json(await t.call('finance', 'GET', `/api/reports/sales-register?from=2026-13-01&to=${to}`), 400);
    expect((await t.call('support', 'GET', `/api/reports/sales-register?from=${from}&to=${to}`)).status).toBe(403);
  });
});

describe('collections register', () => {
  test("each day and method are the payments list's received that day; totals add up", async () => {
    const r = await json(await t.call('finance', 'GET', `/api/reports/collections?from=${from}&to=${to}`));
    const pays = await json<any[]>(await t.call('finance', 'GET', `/api/payments?_start=0&_end=100&received_on_gte=${from}&received_on_lte=${to}`));
    expect(r.totals.total_paise).toBe(sumOf(pays, 'amount_paise'));
    expect(r.totals.payments).toBe(pays.length);
    expect(r.rows.map((x: any) => x.date)).toEqual([day(5), day(3)]);
    expect(r.rows[0]).toMatchObject({ upi_paise: 10000, cash_paise: 25050, payments: 2, total_paise: 35050 });
    expect(r.totals).toMatchObject({ cash_paise: 25050, upi_paise: 10000, cheque_paise: 4000, total_paise: 39050 });
    for (const row of r.rows) expect(row.total_paise).toBe(row.cash_paise + row.upi_paise + row.bank_transfer_paise + row.cheque_paise + row.gateway_paise);
  });

  test('as CSV and XLSX: the rows and a totals row equal to the JSON, money in rupees, typed cells; audited; support refused', async () => {
    const r = await json(await t.call('finance', 'GET', `/api/reports/collections?from=${from}&to=${to}`));
    const csvRes = await t.call('finance', 'GET', `/api/reports/collections?from=${from}&to=${to}&format=csv`);
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers.get('content-disposition')).toContain(`collections-${from}-${to}.csv`);
    // No quoted fields in this table: dates, numbers and "Total".
    const [head, ...lines] = new TextDecoder().decode(await csvRes.arrayBuffer()).replace(/^\uFEFF/, '').trimEnd().split('\r\n').map((l) => l.split(','));
    const data = lines.map((l) => Object.fromEntries(head.map((h, i) => [h, l[i]])));
    expect(data).toHaveLength(r.rows.length + 1);
    expect(data.at(-1)).toMatchObject({ date: 'Total', total_rupees: '390.50', cash_rupees: '250.50', payments: '3' });

    const xlsxRes = await t.call('finance', 'GET', `/api/reports/collections?from=${from}&to=${to}&format=xlsx`);
    expect(xlsxRes.headers.get('content-type')).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsxRes.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).values).toContain('Total');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const last = ws.getRow(r.rows.length + 2);
    expect(last.getCell(1).value).toBe('Total');
    expect(last.getCell(8).value).toBe(390.5);
    expect(typeof ws.getRow(2).getCell(2).value).toBe('number');

    const audits = await sqlRows(t.database.db, sql`select after from audit_logs where action = 'export' and table_name = 'reports' order by created_at`);
    expect(audits.map((a) => a.after)).toEqual(expect.arrayContaining([expect.objectContaining({ report: 'collections', format: 'xlsx', rows: r.rows.length })]));
    expect((await t.call('support', 'GET', `/api/reports/collections?from=${from}&to=${to}&format=csv`)).status).toBe(403);
    expect((await json(await t.call('finance', 'GET', `/api/reports/collections?from=${from}&to=${to}&format=pdf`), 400)).message).toMatch(/format/);
  });
});

describe('revenue as a file', () => {
  test('the XLSX has the rows and a totals row equal to the JSON totals', async () => {
    const month = today.slice(0, 7);
    const prev = day(40).slice(0, 7);
    const r = await json(await t.call('finance', 'GET', `/api/reports/revenue?from=${prev}&to=${month}&by=month`));
    const res = await t.call('finance', 'GET', `/api/reports/revenue?from=${prev}&to=${month}&by=month&format=xlsx`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.rowCount).toBe(r.rows.length + 2);
    const total = ws.getRow(ws.rowCount);
    expect(total.getCell(1).value).toBe('Total');
    expect(total.getCell(2).value).toBe(r.totals.invoices);
    expect(total.getCell(7).value).toBe(r.totals.total_paise / 100);
    const csv = await (await t.call('finance', 'GET', `/api/reports/revenue?from=${prev}&to=${month}&by=zone&format=csv`)).text();
    expect(csv.trimEnd().split('\r\n').at(-1)).toMatch(/^Total,/);
  });
});
