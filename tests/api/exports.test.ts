import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { exportTuning } from '../../api/lib/export.js';
import { paiseToRupees } from '../../shared/money.js';
import { seedDemo } from '../../seeds/demo.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeCustomer, makeZone } from '../helpers/chain-fixtures.js';
import { parseCsv } from '../helpers/csv.js';
import { expectJson, expectProblem, rows } from './support.js';

// Every list downloads as CSV, XLSX or JSON with the list's own filters, search and sort: the same rows as the list,
// in the same order, streamed from a cursor (api/lib/export.ts).
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.database.db, { scale: 0.05, seed: 14, historyDays: 40 });
}, 180_000);
afterAll(() => t?.close());

/** Every list with an export, and a query that narrows or sorts it (the export must honour it). */
const LISTS: { name: string; query: string }[] = [
  { name: 'customers', query: '_sort=name&_order=asc' },
  { name: 'subscriptions', query: 'status=active' },
  { name: 'orders', query: '_sort=delivery_date&_order=desc' },
  { name: 'order-items', query: '_sort=id&_order=desc' },
  { name: 'deliveries', query: 'status=delivered' },
  { name: 'billing-records', query: '' },
  { name: 'invoices', query: '_sort=total_paise&_order=desc' },
  { name: 'invoice-lines', query: 'q=milk' },
  { name: 'payments', query: 'method=upi&_sort=amount_paise&_order=desc' },
  { name: 'receivables', query: '_sort=balance_due_paise&_order=desc' },
  { name: 'refunds', query: '_sort=amount_paise&_order=desc' },
  { name: 'credit-notes', query: '' },
  // Exports write audit rows themselves: leave them out, so the count holds while this file runs.
  { name: 'audit-logs', query: 'action_ne=export' },
];

const instantRe = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
/** A list value as the JSON export states it: the same, but instants in IST (+05:30), which is the same instant. */
function sameValue(exported: unknown, listed: unknown) {
  if (typeof listed === 'string' && instantRe.test(listed) && typeof exported === 'string') {
    expect(exported).toMatch(/\+05:30$/);
    return expect(Date.parse(exported)).toBe(Date.parse(listed));
  }
  expect(exported).toEqual(listed);
}

async function download(role: 'admin' | 'finance' | 'support', path: string) {
  const res = await t.call(role, 'GET', path);
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

describe('every list exports the rows the list shows', () => {
  for (const { name, query } of LISTS) {
    test(`${name}: the JSON export has the list's count and first rows; CSV and XLSX the same count`, async () => {
      const listRes = await t.call('finance', 'GET', `/api/${name}?${query}&_start=0&_end=50`);
      const listed = await expectJson<Record<string, unknown>[]>(listRes, 200);
      const total = Number(listRes.headers.get('x-total-count'));
      expect(listRes.headers.get('x-total-count-estimated')).toBeNull();
      expect(total, `${name} has rows to export`).toBeGreaterThan(0);

      const { res, body } = await download('finance', `/api/${name}/export?format=json&${query}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${name}-\\d{4}-\\d{2}-\\d{2}\\.json"$`));
      const exported = JSON.parse(body.toString('utf8')) as Record<string, unknown>[];
      expect(exported.length).toBe(total);
      listed.forEach((row, i) => {
        for (const [k, v] of Object.entries(row)) sameValue(exported[i][k], v);
      });
      // Readable names next to the ids.
      for (const [id, label] of [['customer_id', 'customer_name'], ['product_id', 'product_name'], ['zone_id', 'zone_name']]) {
        if (id in exported[0]) expect(exported.find((r) => r[id])?.[label], `${name}.${label}`).toEqual(expect.any(String));
      }

      const csv = await download('finance', `/api/${name}/export?format=csv&${query}`);
      expect(csv.res.status).toBe(200);
      const records = parseCsv(csv.body.toString('utf8').replace(/^\uFEFF/, ''));
      expect(records.length).toBe(total + 1);
      expect(new Set(records.map((r) => r.length)).size, 'every record has the header\'s fields').toBe(1);

      const xlsx = await download('finance', `/api/${name}/export?format=xlsx&${query}`);
      expect(xlsx.res.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.body as never);
      expect(book.worksheets[0].actualRowCount).toBe(total + 1);
    });
  }

  test('many batches come out whole, in order, with no repeat (batches of 7 here, 1,000 rows or 10,000 CSV lines in service)', async () => {
    exportTuning.batch = 7;
    exportTuning.lines = 7;
    try {
      const listRes = await t.call('admin', 'GET', '/api/order-items?_sort=id&_order=asc&_start=0&_end=1');
      const total = Number(listRes.headers.get('x-total-count'));
      expect(total).toBeGreaterThan(100);
      for (const format of ['json', 'csv', 'xlsx']) {
        const { body } = await download('admin', `/api/order-items/export?format=${format}&_sort=id&_order=asc`);
        let ids: string[];
        if (format === 'json') ids = (JSON.parse(body.toString('utf8')) as { id: string }[]).map((r) => r.id);
        else if (format === 'csv') ids = parseCsv(body.toString('utf8').slice(1)).slice(1).map((r) => r[0]);
        else {
          const book = new ExcelJS.Workbook();
          await book.xlsx.load(body as never);
          ids = [];
          book.worksheets[0].eachRow((row, n) => n > 1 && ids.push(String(row.getCell(1).value)));
        }
        expect(ids.length, format).toBe(total);
        expect(new Set(ids).size).toBe(total);
        expect(ids).toEqual([...ids].sort());
      }
    } finally {
      exportTuning.batch = 1000;
      exportTuning.lines = 10_000;
    }
  });
});

describe('formats', () => {
  test('CSV: UTF-8 BOM, CRLF, quotes doubled, rupees with two decimals, times in IST; round-trips through a parser', async () => {
    const listed = await expectJson<Record<string, any>[]>(await t.call('finance', 'GET', '/api/invoices?_start=0&_end=1000'), 200);
    const { res, body } = await download('finance', '/api/invoices/export?format=csv');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [head, ...records] = parseCsv(text);
    expect(head).toContain('total_rupees');
    expect(head).not.toContain('total_paise');
    expect(head).toContain('customer_name');
    const col = (k: string) => head.indexOf(k);
    expect(records.length).toBe(listed.length);
    records.forEach((r, i) => {
      expect(r[col('id')]).toBe(listed[i].id);
      expect(r[col('number')]).toBe(listed[i].number);
      expect(r[col('customer_name')]).toBe(listed[i].customer_name);
      expect(r[col('total_rupees')]).toBe(paiseToRupees(listed[i].total_paise));
      expect(r[col('total_rupees')]).toMatch(/^-?\d+\.\d{2}$/);
      // 07:00 UTC reads 12:30 IST.
      const ist = new Date(Date.parse(listed[i].issued_at) + 330 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
      expect(r[col('issued_at')]).toBe(ist);
      expect(r[col('invoice_date')]).toBe(listed[i].invoice_date);
    });
  });

  test('CSV injection: a cell starting with =, +, -, @, tab or CR gets a leading quote; names in Kannada and quotes survive', async () => {
    const zone = await makeZone(t.database.db);
    const names = ['=HYPERLINK("http://evil","x")', '+91 caller', '-2+3', '@SUM(A1)', '\tTabbed', 'ರಮೇಶ್ "ರಾಮು", ಬೆಂಗಳೂರು'];
    const ids: string[] = [];
    for (const name of names) ids.push((await makeCustomer(t.database.db, { zone_id: zone.id, name })).customer.id);
    const { body } = await download('finance', `/api/customers/export?format=csv&zone_id=${zone.id}&_sort=name&_order=asc`);
    const [head, ...records] = parseCsv(body.toString('utf8').slice(1));
    const got = records.map((r) => r[head.indexOf('name')]);
    expect(got.sort()).toEqual(["'+91 caller", "'-2+3", "'=HYPERLINK(\"http://evil\",\"x\")", "'@SUM(A1)", "'\tTabbed", 'ರಮೇಶ್ "ರಾಮು", ಬೆಂಗಳೂರು'].sort());
    // The raw text doubles the quotes inside a quoted field.
    expect(body.toString('utf8')).toContain('"ರಮೇಶ್ ""ರಾಮು"", ಬೆಂಗಳೂರು"');
    // JSON keeps the data as it is: no spreadsheet reads it.
    const json = JSON.parse((await download('finance', `/api/customers/export?format=json&zone_id=${zone.id}`)).body.toString('utf8'));
    expect(json.map((c: { name: string }) => c.name).sort()).toEqual([...names].sort());
  });

  test('XLSX: opens with exceljs, a frozen header, typed number (rupees) and date cells in IST', async () => {
    const listed = await expectJson<Record<string, any>[]>(await t.call('finance', 'GET', '/api/invoices?status=issued&_sort=total_paise&_order=desc&_start=0&_end=5'), 200);
    const { res, body } = await download('finance', '/api/invoices/export?format=xlsx&status=issued&_sort=total_paise&_order=desc');
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename="invoices-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(body as never);
    const sheet = book.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const head = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
    const col = (k: string) => head.indexOf(k) + 1;
    expect(col('total_rupees')).toBeGreaterThan(0);
    listed.forEach((inv, i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(col('number')).value).toBe(inv.number);
      expect(row.getCell(col('total_rupees')).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(col('total_rupees')).value).toBe(inv.total_paise / 100);
      expect(row.getCell(col('total_rupees')).numFmt).toBe('#,##0.00');
      expect(row.getCell(col('invoice_date')).type).toBe(ExcelJS.ValueType.Date);
      expect((row.getCell(col('invoice_date')).value as Date).toISOString().slice(0, 10)).toBe(inv.invoice_date);
      // Excel has no time zone: the cell holds the IST wall-clock time.
      const issued = row.getCell(col('issued_at')).value as Date;
      expect(issued).toBeInstanceOf(Date);
      expect(issued.getTime()).toBe(Date.parse(inv.issued_at) + 330 * 60_000);
    });
  });

  test('an empty result is a header only (CSV), an empty array (JSON), a header row (XLSX)', async () => {
    const filter = 'number=NO-SUCH-NUMBER';
    const csv = (await download('finance', `/api/invoices/export?format=csv&${filter}`)).body.toString('utf8');
    expect(parseCsv(csv.slice(1))).toHaveLength(1);
    expect(JSON.parse((await download('finance', `/api/invoices/export?format=json&${filter}`)).body.toString('utf8'))).toEqual([]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download('finance', `/api/invoices/export?format=xlsx&${filter}`)).body as never);
    expect(book.worksheets[0].actualRowCount).toBe(1);
  });
});

describe('refusals and the audit log', () => {
  test('a role without export on the resource is a 403 before any row (support reads invoices, may not export them)', async () => {
    expect((await t.call('support', 'GET', '/api/invoices?_end=1')).status).toBe(200);
    await expectProblem(await t.call('support', 'GET', '/api/invoices/export?format=csv'), 403, 'forbidden');
    await expectProblem(await t.call('support', 'GET', '/api/customers/export?format=csv'), 403, 'forbidden');
    // Support asks for refunds and reads credit notes; exporting either is finance's.
    expect((await t.call('support', 'GET', '/api/refunds?_end=1')).status).toBe(200);
    await expectProblem(await t.call('support', 'GET', '/api/refunds/export?format=csv'), 403, 'forbidden');
    await expectProblem(await t.call('support', 'GET', '/api/credit-notes/export?format=csv'), 403, 'forbidden');
    await expectProblem(await t.call(null, 'GET', '/api/customers/export?format=csv'), 401);
  });

  test('an unknown format, filter or sort is a 400 as the list says it', async () => {
    await expectProblem(await t.call('finance', 'GET', '/api/invoices/export?format=pdf'), 400, 'bad_format');
    await expectProblem(await t.call('finance', 'GET', '/api/invoices/export?format=csv&colour=red'), 400, 'unknown_filter');
    await expectProblem(await t.call('finance', 'GET', '/api/invoices/export?format=csv&_sort=nope'), 400, 'unknown_sort');
    await expectProblem(await t.call('finance', 'GET', '/api/invoices/export?format=csv&total_paise=abc'), 400, 'bad_filter');
    // Order items are read an order at a time unless sorted by id, for the export as for the list.
    await expectProblem(await t.call('finance', 'GET', '/api/order-items/export?format=csv'), 400, 'list_needs_filter');
  });

  test('each export is audited when it ends: who, what, filters, format, rows', async () => {
    const { body } = await download('finance', '/api/invoices/export?format=json&status=issued&_sort=total_paise&_order=desc');
    const n = JSON.parse(body.toString('utf8')).length;
    const [row] = await rows<{ user_id: string; after: any }>(
      t.database.db,
      sql`select user_id, after from audit_logs where action = 'export' and table_name = 'invoices' order by created_at desc, id desc limit 1`,
    );
    expect(row.user_id).toBe(t.userIds.finance);
    expect(row.after).toEqual({ format: 'json', filters: { status: 'issued', _sort: 'total_paise', _order: 'desc' }, rows: n, completed: true });
  });
});
