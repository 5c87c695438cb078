/**
 * Screenshots of every admin page, for a person to look at (not a test).
 *   PGLITE_DIR=/tmp/mr-admin PORT=3100 npm start &   then   npx tsx tests/e2e/screenshots.ts [baseUrl]
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3100';
const out = 'tests/e2e/screenshots';
mkdirSync(out, { recursive: true });

export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });

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
  if (opts.wait) await page.locator(opts.wait).first().waitFor({ timeout: 10_000 }).catch(() => console.error(`  (${name}: ${opts.wait} not found)`));
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: opts.full ?? false });
  console.log(`${name}.png  ${page.url()}`);
}

async function firstId(page: Page, resource: string, query = '') {
  const res = await page.request.get(`${base}/api/${resource}?_start=0&_end=1${query}`);
  const rows = (await res.json()) as { id: string }[];
  return rows[0]?.id;
}

// The login page and a wrong password.
{
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await shot(page, '00-login', '/login', { wait: 'text=Sign in' });
  await page.getByLabel('Email').fill('admin@milkrun.test');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await shot(page, '01-login-error', undefined, { wait: '[role=alert]' });
  await context.close();
}

const admin = await session('admin');
await shot(admin, '10-customers', '/customers', { wait: '.ant-table-row' });
await shot(admin, '11-customers-filtered', '/customers', { wait: '.ant-table-row' });
const customerId = await firstId(admin, 'customers', '&_sort=created_at&_order=desc');
await shot(admin, '12-customer-show', `/customers/show/${customerId}`, { wait: '.ant-descriptions', full: true });
await admin.getByRole('button', { name: 'Add address' }).click();
await shot(admin, '13-address-modal', undefined, { wait: '.ant-modal' });
await admin.keyboard.press('Escape');
await shot(admin, '14-customer-create', '/customers/create', { wait: 'form', full: true });
await admin.getByRole('button', { name: 'Save' }).click();
await shot(admin, '15-customer-create-invalid', undefined, { wait: '.ant-form-item-explain-error', full: true });
await shot(admin, '16-customer-edit', `/customers/edit/${customerId}`, { wait: 'input#name' });
await shot(admin, '20-zones', '/zones', { wait: '.ant-table-row' });
const zoneId = await firstId(admin, 'zones', '&_sort=customer_count&_order=desc');
await shot(admin, '21-zone-edit', `/zones/edit/${zoneId}`, { wait: 'input#name' });
await shot(admin, '30-products', '/products', { wait: '.ant-table-row' });
await shot(admin, '31-product-create', '/products/create', { wait: 'form' });
const productId = await firstId(admin, 'products');
await shot(admin, '32-product-edit', `/products/edit/${productId}`, { wait: 'input#name' });
await shot(admin, '40-requests-pending', '/product-requests', { wait: '.ant-table-row' });
await shot(admin, '41-requests-approved', '/product-requests?status=approved', { wait: '.ant-table-row' });
await shot(admin, '42-requests-rejected', '/product-requests?status=rejected', { wait: '.ant-table-row' });
const requestId = await firstId(admin, 'product-requests', '&status=pending');
await shot(admin, '43-request-show', `/product-requests/show/${requestId}`, { wait: '.ant-descriptions' });
await shot(admin, '44-request-create', '/product-requests/create', { wait: 'form' });
await shot(admin, '50-audit', '/audit-logs', { wait: '.ant-table-row' });
const auditId = await firstId(admin, 'audit-logs', '&_sort=created_at&_order=desc');
await shot(admin, '51-audit-show', `/audit-logs/show/${auditId}`, { wait: '.ant-descriptions', full: true });
await shot(admin, '60-users', '/users', { wait: '.ant-table-row' });
await shot(admin, '61-roles', '/roles', { wait: '.ant-table-row' });
const roleId = await firstId(admin, 'roles', '&name=manager');
await shot(admin, '62-role-show', `/roles/show/${roleId}`, { wait: '.ant-descriptions', full: true });
await shot(admin, '63-not-found', '/nowhere');

const support = await session('support');
await shot(support, '70-support-requests', '/product-requests', { wait: '.ant-table-row' });
await shot(support, '71-support-users-forbidden', '/users');
await shot(support, '72-support-products', '/products', { wait: '.ant-table-row' });

const finance = await session('finance');
await shot(finance, '80-finance-customers', '/customers', { wait: '.ant-table-row' });
await shot(finance, '81-finance-zones', '/zones', { wait: '.ant-table-row' });

await browser.close();
