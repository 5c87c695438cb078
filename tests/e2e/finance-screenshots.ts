/**
 * Screenshots of the finance pages, for a person to look at (not a test).
 *   PGLITE_DIR=/tmp/mr-finance PORT=3300 npm start &   then   npx tsx tests/e2e/finance-screenshots.ts [baseUrl]
 * It runs the current month, voids and reissues one invoice: run it against a scratch database.
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { chromiumArgs, CHROMIUM, SHOTS } from './harness.js';

const base = process.argv[2] ?? 'http://localhost:3300';
mkdirSync(SHOTS, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });

async function session(role: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[${role}] page error:`, e.message));
  page.on('console', (m) => m.type() === 'error' && console.error(`[${role}] console:`, m.text()));
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(`${role}@milkrun.test`);
  await page.getByLabel('Password').fill('milkrun');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

async function shot(page: Page, name: string, path?: string, opts: { wait?: string; full?: boolean } = {}) {
  if (path) await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  if (opts.wait) await page.locator(opts.wait).first().waitFor({ timeout: 15_000 }).catch(() => console.error(`  (${name}: ${opts.wait} not found)`));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: opts.full ?? false });
  console.log(`${name}.png  ${page.url()}`);
}

async function firstId(page: Page, resource: string, query = '') {
  const res = await page.request.get(`${base}/api/${resource}?_start=0&_end=1${query}`);
  const rows = (await res.json()) as { id: string }[];
  return rows[0]?.id;
}

const finance = await session('finance');
await shot(finance, 'f10-dashboard', '/dashboard', { wait: '[data-testid=daily-chart] svg', full: true });

await shot(finance, 'f20-billing-records', '/billing-records', { wait: '.ant-table-row' });
await finance.locator('.ant-select', { hasText: 'Invoiced or not' }).click();
await finance.locator('.ant-select-dropdown:visible').getByTitle('Not invoiced yet').click();
await shot(finance, 'f21-billing-not-invoiced', undefined, { wait: '.ant-table-row' });

await shot(finance, 'f30-invoices', '/invoices', { wait: '.ant-table-row' });
await finance.locator('.ant-select', { hasText: 'Any kind' }).click();
await finance.locator('.ant-select-dropdown:visible').getByTitle('Invoice-cum-bill of supply').click();
await shot(finance, 'f31-invoices-mixed', undefined, { wait: '.ant-table-row' });

// The current month, run from the page: form, confirmation, progress, done.
await shot(finance, 'f40-runs', '/invoice-runs', { wait: '.ant-table-row' });
await finance.getByRole('button', { name: 'Run month' }).first().click();
await finance.waitForURL(/\/invoice-runs\/create/);
const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit' }).format(new Date());
await finance.locator('form .ant-picker').first().waitFor();
await finance.locator('form .ant-picker').first().click();
await finance.locator(`.ant-picker-dropdown .ant-picker-cell[title="${month}"]`).click();
await shot(finance, 'f41-run-form');
await finance.locator('.ant-card-actions, .ant-card').getByRole('button', { name: 'Run month' }).last().click();
await shot(finance, 'f42-run-confirm', undefined, { wait: '.ant-popconfirm' });
await finance.locator('.ant-popconfirm').getByRole('button', { name: 'Run' }).click();
await finance.waitForURL(/\/invoice-runs\/show\//);
await shot(finance, 'f43-run-progress', undefined, { wait: '[data-testid=run-progress]' });
await finance.getByText('Done:').or(finance.getByText('Nothing to invoice')).waitFor({ timeout: 120_000 });
await shot(finance, 'f44-run-done', undefined, { full: true });
await shot(finance, 'f45-runs-after', '/invoice-runs', { wait: '.ant-table-row' });

// An invoice with taxed and exempt lines: show, void (reason needed), reissue.
const mixed = await firstId(finance, 'invoices', '&kind=invoice_cum_bill_of_supply&status=issued&_sort=invoice_date&_order=desc');
await shot(finance, 'f32-invoice-show', `/invoices/show/${mixed}`, { wait: '.ant-table-row', full: true });
const pdf = await finance.request.get(`${base}/api/invoices/${mixed}/pdf`);
console.log('  pdf:', pdf.status(), pdf.headers()['content-type'], (await pdf.body()).subarray(0, 5).toString());
await finance.getByRole('button', { name: 'Void' }).click();
await finance.locator('.ant-modal').getByRole('button', { name: 'Void invoice' }).click();
await shot(finance, 'f33-void-needs-reason', undefined, { wait: '.ant-form-item-explain-error' });
await finance.locator('.ant-modal').getByLabel('Reason').fill('Billed to the old address; customer asked for a corrected invoice.');
await finance.locator('.ant-modal').getByRole('button', { name: 'Void invoice' }).click();
await shot(finance, 'f34-invoice-voided', undefined, { wait: 'text=Void since', full: true });
await finance.getByRole('button', { name: 'Reissue' }).click();
await finance.locator('.ant-popconfirm').getByRole('button', { name: 'Reissue' }).click();
await finance.waitForURL((u) => !u.pathname.endsWith(mixed));
await shot(finance, 'f35-reissued', undefined, { wait: '.ant-descriptions-item-label:has-text("Replaces")', full: true });

await shot(finance, 'f50-data-health', '/data-health', { wait: '.ant-alert', full: true });
await shot(finance, 'f60-imports', '/imports', { wait: '.ant-card, .ant-empty', full: true });

const manager = await session('manager');
await shot(manager, 'f70-manager-dashboard', '/dashboard', { wait: '[data-testid=daily-chart] svg' });
await shot(manager, 'f71-manager-runs-forbidden', '/invoice-runs');
await shot(manager, 'f72-manager-invoice', `/invoices/show/${mixed}`, { wait: '.ant-table-row' });
const support = await session('support');
await shot(support, 'f80-support-dashboard', '/dashboard', { wait: '[data-testid=daily-chart] svg' });

await browser.close();
