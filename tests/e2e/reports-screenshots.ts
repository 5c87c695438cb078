/**
 * Screenshots of the GST report page, for a person to look at (not a test), desktop and 390 px phone.
 *   PGLITE_DIR=/tmp/mr-reports PORT=3310 npm start &   then   npx tsx tests/e2e/reports-screenshots.ts [baseUrl]
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3310';
const { browser, session, shot, first } = await screenshots(base);
const finance = await session('finance');
// The latest month with invoices on the demo business, and one without any.
const latest = await first<{ invoice_date: string }>(finance, 'invoices', '&_sort=invoice_date&_order=desc');
const month = latest?.invoice_date.slice(0, 7) ?? '2026-11';
await shot(finance, 'r10-gst-report', `/reports/gst?month=${month}`, { wait: '[data-testid=gst-hsn] .ant-table-row', full: true });
await shot(finance, 'r11-gst-empty', '/reports/gst?month=2001-01', { wait: '.ant-alert', full: true });
const xlsx = await finance.request.get(`${base}/api/reports/gst?month=${month}&format=xlsx`);
console.log('  xlsx:', xlsx.status(), xlsx.headers()['content-type'], (await xlsx.body()).length, 'bytes');
await shot(finance, 'r15-revenue-zone', '/reports/revenue?by=zone', { wait: '[data-testid=revenue] .ant-table-row', full: true });
await finance.setViewportSize({ width: 390, height: 844 });
await shot(finance, 'r25-revenue-month-phone', '/reports/revenue?by=month', { wait: '[data-testid=revenue] .ant-table-row', full: true });
await shot(finance, 'r20-gst-report-phone', `/reports/gst?month=${month}`, { wait: '[data-testid=gst-hsn] .ant-table-row', full: true });
await shot(finance, 'r21-gst-empty-phone', '/reports/gst?month=2001-01', { wait: '.ant-alert' });
const support = await session('support');
await shot(support, 'r30-support-forbidden', `/reports/gst?month=${month}`);
await browser.close();
