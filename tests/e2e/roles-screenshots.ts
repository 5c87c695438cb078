/**
 * Screenshots of the roles pages (list, show with the matrix, create with conditions, a held role's refused delete, the
 * admin role's edit) and of what a read-only role sees, desktop and 390 px phone, for a person to look at (not a test).
 * Creates roles and a user through the pages and the API as it goes.
 *   PGLITE_DIR=/tmp/mr-roles PORT=3297 npm start &   then   npx tsx tests/e2e/roles-screenshots.ts [baseUrl] [outDir]
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../seeds/users.js';
import { chromiumArgs, CHROMIUM } from './harness.js';

const base = process.argv[2] ?? 'http://localhost:3297';
const out = process.argv[3] ?? '/tmp/shots/roles';
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs });
const run = Date.now().toString(36);

async function session(width: number, height: number, email = 'admin@milkrun.test', password = DEMO_PASSWORD): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-IN', timezoneId: 'Asia/Kolkata' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${width}):`, e.message));
  page.on('console', (m) => m.type() === 'error' && console.error(`console (${width}):`, m.text()));
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

async function shot(page: Page, name: string, wait?: string, fullPage = false) {
  await page.waitForLoadState('networkidle');
  if (wait) await page.locator(wait).first().waitFor({ timeout: 15_000 }).catch(() => console.error(`  (${name}: ${wait} not found)`));
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage });
  console.log(`${out}/${name}.png`);
}

/** The id of a role by name, through the API with the page's cookie. */
async function roleId(page: Page, name: string): Promise<string> {
  const roles = (await (await page.request.get(`${base}/api/roles?name=${name}`)).json()) as { id: string }[];
  return roles[0].id;
}

for (const [label, width, height] of [
  ['desktop', 1440, 900],
  ['phone', 390, 844],
] as const) {
  const p = await session(width, height);
  await p.goto(`${base}/roles`);
  await shot(p, `${label}-01-list`, '.ant-table-row');
  await p.goto(`${base}/roles/show/${await roleId(p, 'delivery_staff')}`);
  await shot(p, `${label}-02-show-delivery-staff`, '[data-testid=cell-deliveries-confirm]', label === 'desktop');

  // A new role: an empty submit shows the form's checks; then a zone manager with conditions on two cells.
  await p.goto(`${base}/roles/create`);
  await shot(p, `${label}-03-create`, '[data-testid=cell-customers-list]');
  await p.getByLabel('Name').fill('Zone Manager');
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, `${label}-04-create-invalid`, '.ant-form-item-explain-error');
  const name = `zone_manager_${label}_${run}`;
  await p.getByLabel('Name').fill(name);
  await p.getByLabel('What it is for').fill('Customers and deliveries of their own zones');
  for (const cell of ['customers-list', 'customers-show', 'customers-edit', 'deliveries-list', 'deliveries-show', 'deliveries-confirm', 'invoices-void', 'zones-list']) {
    await p.getByTestId(`cell-${cell}`).scrollIntoViewIfNeeded();
    await p.getByTestId(`cell-${cell}`).click();
  }
  await p.getByTestId('conditions-customers-list').click();
  await p.getByLabel('Own zones only').click();
  await shot(p, `${label}-05-create-conditions`, '.ant-popover:not(.ant-popover-hidden)');
  await p.keyboard.press('Escape');
  await p.getByTestId('conditions-invoices-void').scrollIntoViewIfNeeded();
  await p.getByTestId('conditions-invoices-void').click();
  await p.getByLabel('Amount limit in rupees').fill('5000');
  await p.getByLabel('Fresh two-factor code').last().click();
  await shot(p, `${label}-06-create-amount`, '.ant-popover:not(.ant-popover-hidden)');
  await p.keyboard.press('Escape');
  await p.getByRole('button', { name: 'Save' }).click();
  await p.waitForURL(/\/roles\/show\//);
  await shot(p, `${label}-07-created`, '[data-testid=permission-matrix]', label === 'desktop');

  // A role someone holds: the delete is confirmed, then refused with the API's message.
  await p.goto(`${base}/roles`);
  await p.getByTestId('delete-role-support').click();
  await shot(p, `${label}-08-delete-confirm`, '.ant-popconfirm');
  await p.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).click();
  await shot(p, `${label}-09-delete-refused`, '.ant-notification-notice');

  // The admin role: its name and * on * are locked.
  await p.goto(`${base}/roles/edit/${await roleId(p, 'admin')}`);
  await shot(p, `${label}-10-edit-admin`, '[data-testid="cell-*-*"]');
  await p.context().close();
}

// A read-only auditor (every list and show), signed in: the menu has every page, and no page offers a change.
const admin = await session(1440, 900);
const catalog = (await (await admin.request.get(`${base}/api/permissions/catalog`)).json()) as { resource: string; actions: { action: string }[] }[];
const reads = catalog.flatMap((e) => e.actions.filter((a) => a.action === 'list' || a.action === 'show').map((a) => ({ resource: e.resource, action: a.action })));
const auditorRole = `auditor_${run}`;
await admin.request.post(`${base}/api/roles`, { data: { name: auditorRole, description: 'Reads everything, changes nothing', permissions: reads }, headers: { 'x-requested-with': 'XMLHttpRequest' } });
const email = `auditor-${run}@milkrun.test`;
await admin.request.post(`${base}/api/users`, { data: { name: 'Asha Auditor', email, roles: [auditorRole], password: 'kadalekai parishe 42' }, headers: { 'x-requested-with': 'XMLHttpRequest' } });
for (const [label, width, height] of [
  ['desktop', 1440, 900],
  ['phone', 390, 844],
] as const) {
  const a = await session(width, height, email, 'kadalekai parishe 42');
  for (const [n, path, wait] of [
    ['11-auditor-customers', '/customers', '.ant-table-row'],
    ['12-auditor-zones', '/zones', '.ant-table-row'],
    ['13-auditor-roles', '/roles', '.ant-table-row'],
    ['14-auditor-products', '/products', '.ant-table-row'],
  ] as const) {
    await a.goto(`${base}${path}`);
    await shot(a, `${label}-${n}`, wait);
  }
  const orders = (await (await a.request.get(`${base}/api/orders?_end=1`)).json()) as { id: string; customer_id: string }[];
  if (orders[0]) {
    await a.goto(`${base}/orders/show/${orders[0].id}`);
    await shot(a, `${label}-15-auditor-order`, '.ant-descriptions');
    await a.goto(`${base}/customers/show/${orders[0].customer_id}`);
    await shot(a, `${label}-16-auditor-customer`, '.ant-descriptions');
  }
  await a.context().close();
}
await browser.close();
