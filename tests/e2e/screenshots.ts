/**
 * Screenshots of every admin page, for a person to look at (not a test).
 *   PGLITE_DIR=/tmp/mr-admin PORT=3100 npm start &   then   npx tsx tests/e2e/screenshots.ts [baseUrl]
 * PNGs land in tests/e2e/screenshots/ (gitignored).
 */
import type { Page } from 'playwright-core';
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3100';

const { browser, session, shot, first } = await screenshots(base);

/** Chooses an option of the antd Select in the form item labelled `label`. */
async function pick(page: Page, label: string, option: string) {
  await page.locator('.ant-form-item', { has: page.getByLabel(label, { exact: true }) }).locator('.ant-select-selector').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

// An unchecked first id, as the pages below expect one to exist.
const firstId = async (page: Page, resource: string, query = '') => (await first(page, resource, query))?.id as string;

// The login page and a wrong password.
{
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await shot(page, '00-login', '/login', { wait: 'text=Sign in' });
  // An address nobody uses: five failures lock an email out for 15 minutes.
  await page.getByLabel('Email').fill('nobody@milkrun.test');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await shot(page, '01-login-error', undefined, { wait: '[role=alert]' });
  await context.close();
}

const admin = await session('admin');
const stamp = Date.now().toString(36).toUpperCase();
await shot(admin, '10-customers', '/customers', { wait: '.ant-table-row' });
await admin.getByPlaceholder('Name, phone or email').fill('nair');
await admin.getByPlaceholder('Name, phone or email').press('Enter');
await admin.locator('.ant-select', { hasText: 'Any status' }).click();
await admin.getByTitle('Active', { exact: true }).click();
await shot(admin, '11-customers-filtered', undefined, { wait: '.ant-table-row' });
await shot(admin, '14-customer-create', '/customers/create', { wait: 'form', full: true });
await admin.getByRole('button', { name: 'Save' }).click();
await shot(admin, '15-customer-create-invalid', undefined, { wait: '.ant-form-item-explain-error', full: true });
// A real create: customer and first address in one POST.
await admin.getByLabel('Name').fill(`Kavya Test ${stamp}`);
await admin.getByLabel('Mobile').fill(`98${String(Date.now()).slice(-8)}`);
await pick(admin, 'Zone', 'Indiranagar');
await admin.getByLabel('House and street').fill('Flat 12, 100 Feet Road');
await admin.getByLabel('PIN code').fill('560038');
await admin.getByLabel('Latitude').fill('12.97');
await admin.getByLabel('Longitude').fill('77.64');
await admin.getByRole('button', { name: 'Save' }).click();
await admin.waitForURL(/\/customers\/show\//);
await shot(admin, '12-customer-show-created', undefined, { wait: '.ant-descriptions', full: true });
await admin.getByRole('button', { name: 'Add address' }).click();
await shot(admin, '13-address-modal', undefined, { wait: '.ant-modal' });
const modal = admin.locator('.ant-modal:visible');
await modal.getByLabel('Label').fill('Office');
await modal.getByLabel('House and street').fill('WeWork, Embassy Golf Links');
await modal.getByLabel('PIN code').fill('560071');
await modal.getByRole('button', { name: 'Save' }).click();
await shot(admin, '13b-address-added', undefined, { wait: 'text=WeWork', full: true });
await admin.locator('.ant-table-row', { hasText: 'WeWork' }).locator('.refine-edit-button').click();
await shot(admin, '13c-address-edit-modal', undefined, { wait: '.ant-modal input[value="Office"]' });
const editModal = admin.locator('.ant-modal:visible');
await editModal.getByLabel('Landmark').fill('Domlur flyover');
await editModal.getByRole('button', { name: 'Save' }).click();
await admin.getByText('Near Domlur flyover').waitFor();
const customerId = admin.url().split('/').pop();
await shot(admin, '16-customer-edit', `/customers/edit/${customerId}`, { wait: 'input#name' });
await pick(admin, 'Status', 'Paused');
await admin.getByRole('button', { name: 'Save' }).click();
await admin.waitForURL(/\/customers\/show\//);

await shot(admin, '20-zones', '/zones', { wait: '.ant-table-row' });
// Deleting a zone with customers: the API's 409 message as a notification.
await admin.locator('.ant-table-row', { hasText: 'Indiranagar' }).locator('button.ant-btn-dangerous').click();
await admin.locator('.ant-popconfirm').getByRole('button', { name: 'Delete', exact: true }).click();
await shot(admin, '22-zone-delete-refused', undefined, { wait: '.ant-notification-notice' });
const zoneId = await firstId(admin, 'zones', '&_sort=customer_count&_order=desc');
await shot(admin, '21-zone-edit', `/zones/edit/${zoneId}`, { wait: 'input#name' });

await shot(admin, '30-products', '/products', { wait: '.ant-table-row' });
await admin.locator('.ant-table-row').first().getByRole('button', { name: /activate/ }).click();
await admin.locator('.ant-popconfirm').getByRole('button', { name: /activate/ }).click();
await shot(admin, '33-product-deactivated', undefined, { wait: '.ant-notification-notice' });
await pick(admin, 'is_active', 'Inactive only').catch(async () => {
  await admin.locator('.ant-select', { hasText: 'Active and inactive' }).click();
  await admin.locator('.ant-select-dropdown:visible').getByTitle('Inactive only').click();
});
await shot(admin, '34-products-inactive', undefined, { wait: '.ant-table-row' });
await shot(admin, '31-product-create', '/products/create', { wait: 'form' });
await admin.getByLabel('Name').fill(`Test Curd ${stamp}`);
await admin.getByLabel('SKU').fill(`test curd ${stamp}`);
await pick(admin, 'Unit', 'packet');
await admin.getByLabel('Price (₹)').fill('12.34');
await admin.getByLabel('HSN code').fill('0403');
await pick(admin, 'GST rate', '5%');
await admin.getByRole('button', { name: 'Save' }).click();
await admin.waitForURL(/\/products(\?|$)/);
const created = (await (await admin.request.get(`${base}/api/products?sku=TEST-CURD-${stamp}`)).json()) as { price_paise: number; gst_rate_bp: number }[];
console.log('  created product:', JSON.stringify(created[0]));
const productId = await firstId(admin, 'products');
await shot(admin, '32-product-edit', `/products/edit/${productId}`, { wait: 'input#name' });

// Enough pending requests to decide on, however often this runs against the same database.
for (const [i, n] of ['Paneer 200 g', 'Filter Coffee 500 g', 'Ghee 500 ml', 'Curd 1 kg'].entries()) {
  await admin.request.post(`${base}/api/product-requests`, {
    data: { name: `${n} ${stamp}`, category: 'dairy', unit: 'packet', unit_size: n.split(' ').slice(-2).join(' '), price_paise: 9000 + i * 1050, hsn_code: '0406', gst_rate_bp: 500, note: 'Screenshot run' },
  });
}
await shot(admin, '40-requests-pending', '/product-requests', { wait: '.ant-table-row' });
// Reject one with a reason, approve one by its row button, then two at once.
await admin.locator('.ant-table-row').nth(0).getByRole('button', { name: 'Reject' }).click();
await admin.locator('.ant-modal').getByRole('button', { name: 'Reject' }).click();
await shot(admin, '45-reject-needs-reason', undefined, { wait: '.ant-form-item-explain-error' });
await admin.locator('.ant-modal').getByLabel('Reason').fill('Duplicate of an existing product.');
await admin.locator('.ant-modal').getByRole('button', { name: 'Reject' }).click();
await admin.locator('.ant-notification-notice').first().waitFor();
await admin.locator('.ant-table-row').nth(0).getByRole('button', { name: 'Approve' }).click();
await admin.locator('.ant-popconfirm').getByRole('button', { name: 'Approve' }).click();
await shot(admin, '46-approved-one', undefined, { wait: '.ant-notification-notice-success' });
await admin.locator('.ant-table-row').nth(0).locator('.ant-checkbox-input').check();
await admin.locator('.ant-table-row').nth(1).locator('.ant-checkbox-input').check();
await shot(admin, '47-two-selected');
await admin.getByRole('button', { name: 'Approve selected' }).click();
await admin.locator('.ant-popconfirm').getByRole('button', { name: 'Approve' }).click();
await shot(admin, '48-bulk-approved', undefined, { wait: 'text=/Approved 2 requests/' });
await shot(admin, '41-requests-approved', '/product-requests?status=approved', { wait: '.ant-table-row' });
await shot(admin, '42-requests-rejected', '/product-requests?status=rejected', { wait: '.ant-table-row' });
const requestId = await firstId(admin, 'product-requests', '&status=pending');
if (requestId) await shot(admin, '43-request-show', `/product-requests/show/${requestId}`, { wait: '.ant-descriptions' });
await shot(admin, '44-request-create', '/product-requests/create', { wait: 'form' });

await shot(admin, '50-audit', '/audit-logs', { wait: '.ant-table-row' });
await admin.locator('.ant-table-row-expand-icon').first().click();
await shot(admin, '52-audit-expanded', undefined, { wait: '.ant-table-expanded-row' });
const auditId = await firstId(admin, 'audit-logs', '&_sort=created_at&_order=desc&action=update');
await shot(admin, '51-audit-show', `/audit-logs/show/${auditId}`, { wait: '.ant-descriptions', full: true });
await shot(admin, '60-users', '/users', { wait: '.ant-table-row' });
await shot(admin, '61-roles', '/roles', { wait: '.ant-table-row' });
const roleId = await firstId(admin, 'roles', '&name=manager');
await shot(admin, '62-role-show', `/roles/show/${roleId}`, { wait: '.ant-descriptions', full: true });
await shot(admin, '63-not-found', '/nowhere');
await admin.getByRole('button', { name: 'Log out' }).click();
await shot(admin, '64-logged-out', undefined, { wait: 'text=Sign in' });

const support = await session('support');
await shot(support, '70-support-requests', '/product-requests', { wait: '.ant-table-row' });
await shot(support, '71-support-users-forbidden', '/users');
await shot(support, '72-support-products', '/products', { wait: '.ant-table-row' });

const finance = await session('finance');
await shot(finance, '80-finance-customers', '/customers', { wait: '.ant-table-row' });
await shot(finance, '81-finance-zones', '/zones', { wait: '.ant-table-row' });

await browser.close();
