/**
 * Screenshots of the finance pages, for a person to look at (not a test).
 *   PGLITE_DIR=/tmp/mr-finance PORT=3300 npm start &   then   npx tsx tests/e2e/finance-screenshots.ts [baseUrl]
 * It runs the current month, voids and reissues one invoice: run it against a scratch database.
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3300';
const { browser, session, shot, first } = await screenshots(base);
// An unchecked first id, as the pages below expect one to exist.
const firstId = async (page: Page, resource: string, query = '') => (await first(page, resource, query))?.id as string;

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
