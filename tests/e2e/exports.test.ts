import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pino from 'pino';
import { runNextExportJob } from '../../api/modules/exports/exports.service.js';
import { seedDemo } from '../../seeds/demo.js';
import { type AdminHarness, hasChromium, SHOTS, startAdmin } from './harness.js';

// Finance filters the invoices list and downloads it as XLSX from the Export button: the file has the filtered rows.
let h: AdminHarness;

describe.skipIf(!hasChromium)('exports in a browser', () => {
  beforeAll(async () => {
    h = await startAdmin((db) => seedDemo(db, { scale: 0.05, seed: 21, historyDays: 40 }));
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  test('finance exports the issued invoices as XLSX from the list; support sees no Export button', async () => {
    const errors: string[] = [];
    const page = await h.loggedIn('finance', errors, { startPath: '/invoices?filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=issued' });
    await page.goto(`${h.base}/invoices?filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=issued`);
    await page.locator('.ant-table-row').first().waitFor();
    const total = Number((await page.locator('.ant-pagination-total-text').innerText()).match(/[\d,]+/)![0].replace(/,/g, ''));
    expect(total).toBeGreaterThan(0);

    await page.screenshot({ path: `${SHOTS}/e2e-exports-invoices.png` });
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByTestId('export-xlsx').waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-exports-menu.png` });
    const link = page.getByTestId('export-xlsx');
    expect(await link.getAttribute('href')).toContain('status=issued');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as never);
    const sheet = book.worksheets[0];
    expect(sheet.actualRowCount).toBe(total + 1);
    const head = (sheet.getRow(1).values as unknown[]).slice(1);
    const status = head.indexOf('status') + 1;
    sheet.eachRow((row, n) => n > 1 && expect(row.getCell(status).value).toBe('issued'));
    expect(errors).toEqual([]);

    // At phone width the button stays in the header.
    const phone = await h.loggedIn('finance', errors, { startPath: '/invoices', viewport: { width: 390, height: 844 } });
    await phone.goto(`${h.base}/invoices`);
    await phone.locator('.ant-table-row').first().waitFor();
    await phone.getByRole('button', { name: 'Export' }).click();
    await phone.getByTestId('export-csv').waitFor();
    await phone.screenshot({ path: `${SHOTS}/e2e-exports-phone-menu.png` });

    const support = await h.loggedIn('support', errors, { startPath: '/invoices' });
    await support.goto(`${h.base}/invoices`);
    await support.locator('.ant-table-row').first().waitFor();
    expect(await support.getByRole('button', { name: 'Export' }).count()).toBe(0);
  }, 120_000);
  test("finance downloads the month's GST report workbook from the GST report page: its HSN totals are the page's", async () => {
    const errors: string[] = [];
    const page = await h.loggedIn('finance', errors, { startPath: '/reports/gst' });
    // The latest month with invoices on this business.
    const latest = await (await page.request.get(`${h.base}/api/invoices?_start=0&_end=1&_sort=invoice_date&_order=desc`)).json();
    const month = String(latest[0].invoice_date).slice(0, 7);
    const json = await (await page.request.get(`${h.base}/api/reports/gst?month=${month}`)).json();
    await page.goto(`${h.base}/reports/gst?month=${month}`);
    await page.locator('[data-testid=gst-hsn] .ant-table-row').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/e2e-gst-report.png` });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /workbook|xlsx/i }).first().click()]);
    expect(download.suggestedFilename()).toBe(`gst-report-${month}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as never);
    expect(book.worksheets.map((w) => w.name)).toEqual(['b2cs (7)', 'exemp (8)', 'hsn (12)', 'docs (13)', 'credit notes']);
    const hsn = book.getWorksheet('hsn (12)')!;
    const head = (hsn.getRow(1).values as unknown[]).slice(1);
    const totalCol = head.findIndex((h) => /^Total Value$/i.test(String(h))) + 1;
    expect(totalCol).toBeGreaterThan(0);
    const totalRow = hsn.getRow(hsn.actualRowCount);
    expect(totalRow.getCell(1).value).toBe('Total');
    const sum = json.hsn.reduce((s: number, r: { total_paise: number }) => s + r.total_paise, 0);
    expect(Math.round(Number(totalRow.getCell(totalCol).value) * 100)).toBe(sum);
    expect(errors).toEqual([]);
  }, 120_000);
  test('a background export: started from the list, still there after a reload, downloaded when done', async () => {
    const errors: string[] = [];
    const filtered = '/invoices?filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=issued';
    const page = await h.loggedIn('finance', errors, { startPath: filtered });
    await page.goto(`${h.base}${filtered}`);
    await page.locator('.ant-table-row').first().waitFor();
    const total = Number((await page.locator('.ant-pagination-total-text').innerText()).match(/[\d,]+/)![0].replace(/,/g, ''));
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByTestId('export-background-xlsx').click();
    await page.waitForURL(/\/exports$/);
    const row = page.locator('[data-testid=export-jobs] .ant-table-row').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/invoices/i);
    // Leave and come back: the job is the database's, not the page's.
    await page.reload();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/queued|running|done/);
    // A worker (any API process) takes it; the page polls and offers the file.
    await runNextExportJob(h.database.db, pino({ level: 'silent' }));
    await page.getByTestId('export-job-download').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/e2e-exports-background.png` });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-job-download').click()]);
    expect(download.suggestedFilename()).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as never);
    expect(book.worksheets[0].actualRowCount).toBe(total + 1);
    expect(errors).toEqual([]);
  }, 120_000);
});
