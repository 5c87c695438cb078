/**
 * Screenshots of the operations pages (staff, subscriptions, orders, deliveries, run sheets, the customer calendar),
 * for a person to look at (not a test).
 *   PGLITE_DIR=/tmp/mr-ops PORT=3217 npm start &   then   npx tsx tests/e2e/operations-screenshots.ts [baseUrl] [only]
 * PNGs land in tests/e2e/screenshots/ops-*.png (gitignored). `only` runs the steps whose name contains it.
 */
import type { Page } from 'playwright-core';
import { SHOTS } from './harness.js';
import { screenshots } from './shots.js';

const base = process.argv[2] ?? 'http://localhost:3217';
const only = process.argv[3] ?? '';
const { browser, session, shot, first } = await screenshots(base, 'ops-');

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An IST day n days from now, as the pickers show it ("9 Aug 2027") and as ISO. */
const dayAhead = (n: number) => {
  const iso = new Date(Date.now() + (n * 24 + 5.5) * 3600_000).toISOString().slice(0, 10);
  return { iso, shown: `${Number(iso.slice(8))} ${months[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}` };
};
/** Types both ends of the visible modal's range picker. */
async function fillRange(p: Page, from: number, to: number) {
  const inputs = p.locator('.ant-modal:visible .ant-picker-range input');
  await inputs.first().click();
  await inputs.first().fill(dayAhead(from).shown);
  await p.keyboard.press('Enter');
  await inputs.nth(1).fill(dayAhead(to).shown);
  await p.keyboard.press('Enter');
}

const steps: [string, (p: Page) => Promise<void>][] = [];
const step = (name: string, fn: (p: Page) => Promise<void>) => steps.push([name, fn]);

step('staff', async (p) => {
  await shot(p, '10-staff', '/staff', { wait: '.ant-table-row' });
  await shot(p, '11-staff-create', '/staff/create', { wait: 'form' });
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, '12-staff-create-invalid', undefined, { wait: '.ant-form-item-explain-error' });
  const s = await first<{ id: string; phone: string }>(p, 'staff');
  // A phone already used by another staff member: the API's 409 message appears above the form.
  await p.getByLabel('Name').fill('Duplicate Phone');
  await p.getByLabel('Mobile').fill(s!.phone);
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, '12b-staff-create-server-error', undefined, { wait: '.ant-alert-error' });
  await shot(p, '13-staff-edit', `/staff/edit/${s!.id}`, { wait: 'input#name' });
});

step('subscription-create', async (p) => {
  // A real subscription through the form: customer searched, default address, product, weekdays, then a one-day change.
  const c = await first<{ id: string; name: string; phone: string }>(p, 'customers', '&status=active&_sort=created_at&_order=desc');
  await p.goto(`${base}/subscriptions/create`);
  await p.locator('.ant-form-item', { has: p.getByText('Customer', { exact: true }) }).locator('.ant-select-selector').click();
  await p.keyboard.type(c!.phone.slice(3));
  await p.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: c!.name }).first().click();
  await p.locator('.ant-form-item', { has: p.getByText('Delivery address', { exact: true }) }).locator('.ant-select-selection-item').waitFor();
  await p.locator('.ant-form-item', { has: p.getByText('Product', { exact: true }) }).locator('.ant-select-selector').click();
  await p.keyboard.type('Curd');
  await p.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: 'Curd' }).first().click();
  await p.getByLabel('Chosen weekdays').check();
  await p.getByLabel('Sat').check();
  await p.getByLabel('Sun').check();
  await p.locator('form .ant-radio-button-wrapper', { hasText: 'Evening' }).click();
  await shot(p, '27-subscription-create-filled', undefined, { full: true });
  await p.getByRole('button', { name: 'Save' }).click();
  await p.waitForURL(/\/subscriptions\/show\//);
  await p.getByRole('button', { name: 'Add change' }).click();
  const saturday = [...Array(14).keys()].map((n) => dayAhead(n + 1)).find((d) => new Date(`${d.iso}T00:00:00Z`).getUTCDay() === 6)!;
  await p.locator('.ant-modal:visible .ant-picker input').fill(saturday.shown);
  await p.keyboard.press('Enter');
  await p.locator('.ant-modal:visible .ant-input-number-input').fill('3');
  await p.locator('.ant-modal:visible').getByRole('button', { name: 'Save' }).click();
  await shot(p, '28-subscription-created-with-change', undefined, { wait: '.ant-notification-notice-success', full: true });
});

step('subscriptions', async (p) => {
  await shot(p, '20-subscriptions', '/subscriptions', { wait: '.ant-table-row' });
  const paused = await first(p, 'subscriptions', '&status=active&paused_today=true');
  if (paused) await shot(p, '21b-subscription-paused-today', `/subscriptions/show/${paused.id}`, { wait: '.ant-table-row', full: true });
  const s = await first(p, 'subscriptions', '&status=active&schedule=weekdays');
  await shot(p, '21-subscription-show', `/subscriptions/show/${s!.id}`, { wait: '.ant-descriptions', full: true });
  // A pause, then the same days again: the API refuses the overlap and its message is shown.
  const at = 20 + Math.floor(Math.random() * 300);
  for (let i = 0; i < 2; i++) {
    await p.locator('.ant-card-extra').getByRole('button', { name: 'Add pause' }).click();
    await fillRange(p, at, at + 3);
    await p.locator('.ant-modal:visible').getByRole('button', { name: 'Add pause' }).click();
    await p.locator('.ant-notification-notice').first().waitFor();
    if (i === 0) {
      await p.locator('.ant-modal:visible').waitFor({ state: 'detached' });
      await p.locator('.ant-notification-notice-close').first().click();
    }
  }
  await shot(p, '21c-pause-overlap-refused', undefined, { wait: '.ant-notification-notice-error', full: false });
  await p.keyboard.press('Escape');
  await shot(p, '21d-subscription-with-pause', undefined, { wait: 'text=Resume', full: true });
  await p.getByRole('button', { name: 'Add pause' }).click();
  await shot(p, '22-pause-modal', undefined, { wait: '.ant-modal' });
  await p.keyboard.press('Escape');
  await p.getByRole('button', { name: 'Add change' }).click();
  await shot(p, '23-override-modal', undefined, { wait: '.ant-modal' });
  await p.keyboard.press('Escape');
  await shot(p, '24-subscription-edit', `/subscriptions/edit/${s!.id}`, { wait: 'form .ant-checkbox-group', full: true });
  await shot(p, '25-subscription-create', '/subscriptions/create', { wait: 'form', full: true });
  await p.getByRole('button', { name: 'Save' }).click();
  await shot(p, '26-subscription-create-invalid', undefined, { wait: '.ant-form-item-explain-error', full: true });
});

step('calendar', async (p) => {
  const s = await first<{ customer_id: string }>(p, 'subscriptions', '&status=active');
  await shot(p, '30-customer-calendar', `/customers/show/${s!.customer_id}`, { wait: '[data-testid=customer-calendar] .ant-tag[data-status]', full: true });
  await p.getByRole('button', { name: 'Previous month' }).click();
  await p.waitForTimeout(500);
  await shot(p, '31-customer-calendar-previous', undefined, { wait: '[data-status=delivered]', full: true });
});

step('orders', async (p) => {
  await shot(p, '40-orders', '/orders', { wait: '.ant-table-row' });
  const o = await first(p, 'orders', '&kind=one_time&status=delivered');
  await shot(p, '41-order-show', `/orders/show/${o!.id}`, { wait: '.ant-table-row', full: true });
  await shot(p, '42-order-create', '/orders/create', { wait: 'form', full: true });
  await p.getByRole('button', { name: 'Create order' }).click();
  await shot(p, '43-order-create-invalid', undefined, { wait: '.ant-form-item-explain-error', full: true });
  await shot(p, '44-orders', '/orders', { wait: '.ant-table-row' });
  await p.getByRole('button', { name: 'Generate orders' }).click();
  await shot(p, '45-generate-modal', undefined, { wait: '.ant-modal' });
  // A day not generated yet (a few days ahead) creates orders; the default (tomorrow) is already there.
  await fillRange(p, 4, 4);
  await p.locator('.ant-modal:visible').getByRole('button', { name: 'Generate' }).click();
  await shot(p, '45b-generate-created', undefined, { wait: '.ant-modal .ant-descriptions' });
  await p.locator('.ant-modal:visible').getByRole('button', { name: 'Done' }).click();
  await p.getByRole('button', { name: 'Generate orders' }).click();
  await p.locator('.ant-modal').getByRole('button', { name: 'Generate' }).click();
  await shot(p, '46-generate-result', undefined, { wait: '.ant-modal .ant-descriptions' });
});

step('deliveries', async (p) => {
  await shot(p, '50-deliveries-today', '/deliveries', { wait: '.ant-table-row' });
  const d = await first(p, 'deliveries', '&status=partial');
  await shot(p, '51-delivery-show-partial', `/deliveries/show/${d!.id}`, { wait: '.ant-table-row', full: true });
  const f = await first(p, 'deliveries', '&status=failed');
  await shot(p, '52-delivery-show-failed', `/deliveries/show/${f!.id}`, { wait: '.ant-descriptions', full: true });
  await p.goto(`${base}/deliveries`);
  await p.locator('.ant-table-row').first().getByRole('button', { name: 'Confirm' }).click();
  await shot(p, '53-confirm-dialog', undefined, { wait: '.ant-modal .ant-input-number' });
  await p.locator('.ant-modal:visible').getByRole('button', { name: 'Cancel' }).click();
  await p.locator('.ant-modal:visible').waitFor({ state: 'detached' });
  await p.locator('.ant-table-row').first().getByRole('button', { name: 'Fail' }).click();
  await p.locator('.ant-modal').getByRole('button', { name: 'Mark failed' }).click();
  await shot(p, '54-fail-dialog-invalid', undefined, { wait: '.ant-form-item-explain-error' });
  await p.locator('.ant-modal:visible').getByRole('button', { name: 'Cancel' }).click();
  const pending = await first(p, 'deliveries', '&status=pending');
  await shot(p, '55-delivery-show-pending', `/deliveries/show/${pending!.id}`, { wait: '.ant-table-row', full: true });
  await p.getByRole('button', { name: 'Reassign' }).click();
  await shot(p, '56-reassign', undefined, { wait: '.ant-modal .ant-select' });
});

step('actions', async (p) => {
  // Cancel a pending order (with its confirmation), resume a paused subscription, delete an upcoming pause.
  const o = await first(p, 'orders', '&status=pending&delivery_status=pending&_sort=delivery_date&_order=desc');
  await p.goto(`${base}/orders/show/${o!.id}`);
  await p.getByRole('button', { name: 'Cancel order' }).click();
  await p.locator('.ant-modal:visible').getByLabel(/Reason/).fill('Customer called to cancel');
  await shot(p, '47-cancel-order-confirm', undefined, { wait: '.ant-modal' });
  await p.locator('.ant-modal:visible').getByRole('button', { name: 'Cancel order' }).click();
  await shot(p, '48-order-cancelled', undefined, { wait: '.ant-notification-notice-success', full: true });
  const paused = await first(p, 'subscriptions', '&status=active&paused_today=true');
  if (paused) {
    await p.goto(`${base}/subscriptions/show/${paused.id}`);
    await p.getByRole('button', { name: 'Resume' }).click();
    await shot(p, '29-resume-modal', undefined, { wait: '.ant-modal' });
    await p.locator('.ant-modal:visible').getByRole('button', { name: 'Resume' }).click();
    await shot(p, '29b-resumed', undefined, { wait: '.ant-notification-notice-success', full: true });
  }
  const pause = await first<{ subscription_id: string }>(p, 'subscription-pauses', '&state=upcoming');
  if (pause) {
    await p.goto(`${base}/subscriptions/show/${pause.subscription_id}`);
    await p.locator('.ant-card', { hasText: 'Pauses' }).getByRole('button', { name: 'Delete' }).first().click();
    await shot(p, '29c-delete-pause-confirm', undefined, { wait: '.ant-popconfirm' });
    await p.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).click();
    await shot(p, '29d-pause-deleted', undefined, { wait: '.ant-notification-notice-success' });
  }
});

step('run-sheets', async (p) => {
  await shot(p, '60-run-sheet-all', '/run-sheets', { wait: '[data-testid=run-sheet-group]', full: false });
  const s = await first(p, 'staff', '&is_active=true');
  await shot(p, '61-run-sheet-one', `/run-sheets?staff_id=${s!.id}`, { wait: '[data-testid=run-sheet-group]', full: true });
  await p.emulateMedia({ media: 'print' });
  await p.setViewportSize({ width: 794, height: 1123 });
  await shot(p, '62-run-sheet-print', undefined, { wait: '[data-testid=run-sheet-group]', full: true });
  await p.pdf({ path: `${SHOTS}/ops-62-run-sheet.pdf`, format: 'A4', printBackground: true }).catch((e) => console.error('pdf:', e.message));
  await p.emulateMedia({ media: 'screen' });
  await p.setViewportSize({ width: 1440, height: 900 });
});

const admin = await session('admin');
for (const [name, fn] of steps) {
  if (only && !name.includes(only)) continue;
  try {
    await fn(admin);
  } catch (e) {
    console.error(`step ${name} failed:`, (e as Error).message);
    await admin.screenshot({ path: `${SHOTS}/ops-failed-${name}.png` });
  }
}

if (!only || only === 'roles') {
  const support = await session('support');
  await shot(support, '70-support-deliveries', '/deliveries', { wait: '.ant-table-row' });
  await shot(support, '71-support-run-sheets-forbidden', '/run-sheets');
  const manager = await session('manager');
  await shot(manager, '72-manager-orders', '/orders', { wait: '.ant-table-row' });
}
await browser.close();
